import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { DomSanitizer } from '@angular/platform-browser';
import { renderSVG } from 'uqr';
import { ApiClient } from '../../../core/api/api-client';
import type { SessionStatusView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';

/** Why a session stops by itself (baileys-sessions' StopReason); each has its own explanation. */
const knownStopReasons = [
  'connection-replaced',
  'forbidden',
  'scan-timeout',
  'lease-lost',
  'auth-state-unreadable',
  'multidevice-mismatch',
  'version-outdated',
] as const;

/** How often the session is asked for its state while the page is open (the QR rotates every ~20 s). */
export const sessionPollMilliseconds = 2_000;

/** A WhatsApp Web (Baileys) instance's session: state, QR code, pairing code, logout and restart. */
@Component({
  selector: 'app-baileys-session',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <section class="session" data-testid="baileys-session" [attr.aria-label]="i18n.t('session.title', { name: name() })">
      <h2>{{ i18n.t('session.title', { name: name() }) }}</h2>
      @if (problem(); as message) {
        <p class="notice error" role="alert" data-testid="session-error">{{ message }}</p>
      }
      @if (status(); as session) {
        <p role="status" data-testid="session-state" [attr.data-state]="session.state">{{ i18n.t(stateKey(session.state)) }}</p>
        @if (session.state === 'reconnecting' && session.nextAttemptAt) {
          <p class="muted">{{ i18n.t('session.reconnecting', { attempts: session.reconnectAttempts, time: i18n.time(session.nextAttemptAt) }) }}</p>
        }
        <!-- Stopped by itself, or restricted by WhatsApp: a person has to act (or wait); retrying would not help. -->
        @if (session.state === 'stopped' && session.stopReason) {
          <p class="notice error" role="alert" data-testid="session-stop-reason">{{ i18n.t(stopReasonKey(session.stopReason)) }}</p>
        }
        @if (session.restriction; as restriction) {
          <p class="notice info" role="alert" data-testid="session-restriction">
            {{ i18n.t('session.restricted', { time: i18n.time(restriction.until) }) }}
          </p>
        }
        @if (session.lastDisconnect && session.state !== 'open') {
          <p class="muted" data-testid="session-last-error">{{ i18n.t('session.lastError', { message: session.lastDisconnect.message }) }}</p>
        }
        @if (session.account) {
          <p>{{ i18n.t('session.account', { account: session.account }) }}</p>
        }
        @if (qrImage(); as image) {
          <img class="qr" [src]="image" [alt]="i18n.t('session.qrAlt')" width="264" height="264" data-testid="session-qr" />
          <p class="muted">{{ i18n.t('session.qrHelp') }}</p>
        }
        @if (session.pairingCode) {
          <p class="code" data-testid="session-pairing-code">{{ i18n.t('session.pairingCode', { code: session.pairingCode }) }}</p>
        }
        <!-- pending: the session's server is not up yet (Kubernetes); the poll shows the QR once it is. over-capacity: it has none. -->
        @if (!session.registered && session.state !== 'open' && session.state !== 'pending' && session.state !== 'over-capacity') {
          <form (ngSubmit)="requestPairingCode()" data-testid="pairing-form">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ i18n.t('session.pairingPhone') }}</mat-label>
              <input matInput name="phoneNumber" [(ngModel)]="phoneNumber" inputmode="tel" autocomplete="tel" required />
              <mat-hint>{{ i18n.t('session.pairingHint') }}</mat-hint>
            </mat-form-field>
            <div>
              <button mat-stroked-button type="submit" [disabled]="busy() || !phoneNumber.trim()">{{ i18n.t('session.pairingRequest') }}</button>
            </div>
          </form>
        }
      } @else if (!problem()) {
        <p role="status">{{ i18n.t('state.loading') }}</p>
      }
      <div class="actions">
        <button mat-stroked-button type="button" (click)="act('restart')" [disabled]="busy()" data-testid="session-restart">
          {{ i18n.t('session.restart') }}
        </button>
        <button mat-stroked-button type="button" (click)="act('logout')" [disabled]="busy()" data-testid="session-logout">
          {{ i18n.t('session.logout') }}
        </button>
      </div>
    </section>
  `,
  styles: `
    .session {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    h2 {
      font-size: 1.1rem;
      margin: 0;
    }
    .qr {
      align-self: center;
      background: #fff;
      image-rendering: pixelated;
    }
    .code {
      font-size: 1.4rem;
      font-weight: 600;
      letter-spacing: 0.1em;
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
  `,
})
export class BaileysSession implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly sanitizer = inject(DomSanitizer);
  private readonly destroyRef = inject(DestroyRef);
  readonly instanceId = input.required<string>();
  readonly name = input('');
  protected readonly status = signal<SessionStatusView | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected phoneNumber = '';

  // The QR is drawn here (uqr, no network): the string is a secret for the next ~20 s, so it never leaves the browser.
  protected readonly qrImage = computed(() => {
    const qr = this.status()?.qr;
    if (!qr) return null;
    const svg = renderSVG(qr, { border: 2, pixelSize: 6 });
    return this.sanitizer.bypassSecurityTrustUrl(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  });

  ngOnInit(): void {
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), sessionPollMilliseconds);
    this.destroyRef.onDestroy(() => clearInterval(timer));
  }

  protected stateKey(state: SessionStatusView['state']) {
    return `session.state.${state}` as const;
  }

  protected stopReasonKey(reason: string) {
    return (knownStopReasons as readonly string[]).includes(reason)
      ? (`session.stopReason.${reason as (typeof knownStopReasons)[number]}` as const)
      : 'session.stopReason.other';
  }

  protected async requestPairingCode(): Promise<void> {
    const phoneNumber = this.phoneNumber.trim();
    if (!phoneNumber) return;
    await this.run(() => this.api.requestPairingCode(this.instanceId(), phoneNumber));
  }

  protected async act(action: 'logout' | 'restart'): Promise<void> {
    await this.run(() => (action === 'logout' ? this.api.logoutSession(this.instanceId()) : this.api.restartSession(this.instanceId())));
  }

  private async refresh(): Promise<void> {
    try {
      this.status.set(await this.api.instanceSession(this.instanceId()));
      this.problem.set(null);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  private async run(action: () => Promise<SessionStatusView>): Promise<void> {
    this.busy.set(true);
    try {
      this.status.set(await action());
      this.problem.set(null);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
