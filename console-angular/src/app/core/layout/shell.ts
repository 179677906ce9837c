import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { Icon, type IconName } from '../../shared/ui/icon';
import { ApiClient } from '../api/api-client';
import type { BusinessObjective } from '../api/api-models';
import { AuthSession } from '../auth/auth-session';
import { I18n, type Language } from '../i18n/i18n';
import type { TranslationKey } from '../i18n/translations';
import { LiveUpdates } from '../live/live-updates';

interface NavigationItem {
  path: string;
  label: TranslationKey;
  icon: IconName;
  /** Shown only for businesses with this objective. */
  objective?: BusinessObjective;
}

/** The signed-in frame: a collapsible side menu (a drawer on phones), the global bot switch and the language. */
@Component({
  selector: 'app-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatSidenavModule, MatToolbarModule, MatButtonModule, MatSlideToggleModule, Icon],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  protected readonly i18n = inject(I18n);
  protected readonly session = inject(AuthSession);
  private readonly api = inject(ApiClient);
  private readonly live = inject(LiveUpdates);

  protected readonly phone = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719px)')
      .pipe(map((state) => state.matches)),
    {
      initialValue: false,
    },
  );
  protected readonly collapsed = signal(localStorage.getItem('console.menuCollapsed') === '1');
  protected readonly drawerOpen = signal(false);
  protected readonly botEnabled = signal(true);
  protected readonly botProblem = signal<string | null>(null);
  protected readonly liveMode = this.live.mode;
  protected readonly liveLabel = computed(() => this.i18n.t(`live.${this.liveMode()}` as const));
  protected readonly narrow = computed(() => this.collapsed() && !this.phone());

  private readonly allNavigation: NavigationItem[] = [
    { path: '/inbox', label: 'nav.inbox', icon: 'chat' },
    { path: '/orders', label: 'nav.orders', icon: 'receipt', objective: 'SALES' },
    { path: '/products', label: 'nav.products', icon: 'store', objective: 'SALES' },
    { path: '/appointments', label: 'nav.appointments', icon: 'calendar', objective: 'APPOINTMENTS' },
    { path: '/availability', label: 'nav.availability', icon: 'clock', objective: 'APPOINTMENTS' },
    { path: '/agent', label: 'nav.agent', icon: 'robot' },
    { path: '/tools', label: 'nav.tools', icon: 'build' },
    { path: '/contacts', label: 'nav.contacts', icon: 'person' },
    { path: '/files', label: 'nav.files', icon: 'document' },
    { path: '/test', label: 'nav.test', icon: 'flask' },
    { path: '/instances', label: 'nav.instances', icon: 'phone' },
  ];
  /** The objective's pages (Products and Orders for SALES) and the ones every business has. */
  protected readonly navigation = computed(() => {
    const objective = this.session.account()?.business.objective ?? 'SALES';
    return this.allNavigation.filter((item) => !item.objective || item.objective === objective);
  });

  constructor() {
    this.live.start();
    effect(() => {
      const business = this.session.account()?.business;
      if (business) {
        this.botEnabled.set(business.botEnabled);
        this.i18n.timeZone.set(business.timezone);
      }
    });
    this.live.events.subscribe((event) => {
      if (event.type === 'business.updated') this.botEnabled.set(event.botEnabled);
    });
  }

  protected toggleMenu(): void {
    if (this.phone()) {
      this.drawerOpen.update((open) => !open);
      return;
    }
    this.collapsed.update((collapsed) => !collapsed);
    localStorage.setItem('console.menuCollapsed', this.collapsed() ? '1' : '0');
  }

  protected async setGlobalBot(enabled: boolean): Promise<void> {
    this.botProblem.set(null);
    this.botEnabled.set(enabled);
    try {
      const agent = await this.api.updateAgent({ botEnabled: enabled });
      this.botEnabled.set(agent.botEnabled);
    } catch {
      this.botEnabled.set(!enabled);
      this.botProblem.set(this.i18n.t('state.offline'));
    }
  }

  protected useLanguage(language: Language): void {
    this.i18n.use(language);
  }

  protected signOut(): void {
    this.live.stop();
    void this.session.signOut();
  }
}
