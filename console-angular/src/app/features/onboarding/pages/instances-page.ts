import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import type { InstanceView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { BaileysSession } from '../components/baileys-session';
import { InstanceForm } from '../components/instance-form';
import { SendingSettings } from '../components/sending-settings';

@Component({
  selector: 'app-instances-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, BaileysSession, InstanceForm, SendingSettings],
  template: `
    <section class="page">
      <h1>{{ i18n.t('instances.title') }}</h1>
      @if (created(); as name) {
        <p class="notice success" role="status">{{ i18n.t('instances.created', { name }) }}</p>
      }
      <div class="layout">
        <div class="card">
          @switch (state()) {
            @case ('loading') {
              <p role="status">{{ i18n.t('state.loading') }}</p>
            }
            @case ('error') {
              <p class="error-text" role="alert">{{ i18n.t('state.error', { message: problem() }) }}</p>
            }
            @default {
              @if (instances().length === 0) {
                <p class="muted">{{ i18n.t('instances.empty') }}</p>
              }
              <ul class="instances" data-testid="instances">
                @for (instance of instances(); track instance.id) {
                  <li>
                    <strong>{{ instance.name }}</strong>
                    <span class="muted"
                      >{{ instance.provider }} · {{ instance.status }}{{ instance.phoneNumberId ? ' · ' + instance.phoneNumberId : '' }}</span
                    >
                    @if (instance.overCapacitySince) {
                      <span class="error-text" data-testid="over-capacity">{{ i18n.t('instances.overCapacity') }}</span>
                    }
                    @if (instance.provider === 'BAILEYS') {
                      <button
                        mat-button
                        type="button"
                        (click)="sessionOf.set(instance)"
                        [attr.aria-pressed]="sessionOf()?.id === instance.id"
                        data-testid="open-session"
                      >
                        {{ i18n.t('instances.openSession') }}
                      </button>
                    }
                  </li>
                }
              </ul>
            }
          }
        </div>
        <div class="card"><app-instance-form (created)="onCreated($event)" /></div>
      </div>
      @if (sessionOf(); as instance) {
        <div class="card session">
          @defer {
            <app-baileys-session [instanceId]="instance.id" [name]="instance.name" />
            <app-sending-settings [instance]="instance" (updated)="onUpdated($event)" />
          }
        </div>
      }
    </section>
  `,
  styles: `
    .layout {
      display: grid;
      gap: 16px;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));
      align-items: start;
    }
    .session {
      margin-top: 16px;
    }
    .instances {
      list-style: none;
      padding: 0;
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
  `,
})
export class InstancesPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly instances = signal<InstanceView[]>([]);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly problem = signal('');
  protected readonly created = signal<string | null>(null);
  /** The WhatsApp Web instance whose session is shown (polled while shown). */
  protected readonly sessionOf = signal<InstanceView | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      this.instances.set((await this.api.listInstances()).items);
      this.state.set('ready');
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
      this.state.set('error');
    }
  }

  protected onUpdated(instance: InstanceView): void {
    this.instances.update((list) => list.map((item) => (item.id === instance.id ? instance : item)));
  }

  protected onCreated(instance: InstanceView): void {
    this.instances.update((list) => [...list, instance]);
    this.created.set(instance.name);
    // A new WhatsApp Web number is linked right away: show its QR.
    if (instance.provider === 'BAILEYS') this.sessionOf.set(instance);
  }
}
