import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, computed, inject, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import type { InstanceView, MessageView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { ChatTimeline } from '../../inbox/components/chat-timeline';
import { Composer } from '../../inbox/components/composer';
import { mergeMessages, upsertMessage } from '../../inbox/data/message-list';

/** The customer the operator plays; a fixed number so the test chat continues where it left off. */
export const sandboxTesterPhone = '+15550000001';

/** "Test your agent": the operator writes as a customer of a sandbox number and watches the real pipeline answer. */
@Component({
  selector: 'app-test-agent-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, ChatTimeline, Composer],
  template: `
    <section class="test">
      <header class="head">
        <h1>{{ i18n.t('test.title') }}</h1>
        <p class="muted">{{ i18n.t('test.intro') }}</p>
        @if (sandboxes().length > 1) {
          <label
            >{{ i18n.t('test.instance') }}
            <select [ngModel]="instanceId()" (ngModelChange)="choose($event)">
              @for (instance of sandboxes(); track instance.id) {
                <option [value]="instance.id">{{ instance.name }}</option>
              }
            </select>
          </label>
        }
      </header>
      @switch (state()) {
        @case ('loading') {
          <p class="pad" role="status">{{ i18n.t('state.loading') }}</p>
        }
        @case ('empty') {
          <p class="pad">
            {{ i18n.t('test.noSandbox') }} <a routerLink="/instances">{{ i18n.t('nav.instances') }}</a>
          </p>
        }
        @case ('error') {
          <p class="pad error-text" role="alert">{{ problem() }}</p>
        }
        @default {
          <app-chat-timeline [messages]="messages()" [label]="i18n.t('test.title')" />
          @if (waiting()) {
            <p class="waiting" role="status">{{ i18n.t('test.waiting') }}</p>
          }
          @if (problem(); as message) {
            <p class="pad error-text" role="alert">{{ message }}</p>
          }
          <app-composer [busy]="sending()" [placeholder]="i18n.t('test.placeholder')" (submitted)="send($event)" />
        }
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
      height: 100%;
    }
    .test {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
    }
    .head {
      padding: 12px 16px 8px;
      background: #fff;
      border-bottom: 1px solid var(--console-line);
    }
    .head h1 {
      font-size: 1.2rem;
      margin: 0 0 4px;
    }
    .head p {
      margin: 0 0 4px;
      font-size: 0.9rem;
    }
    .pad {
      padding: 16px;
    }
    .waiting {
      margin: 0;
      padding: 4px 16px;
      font-size: 0.85rem;
      color: var(--console-muted);
      background: var(--console-chat-bg);
    }
  `,
})
export class TestAgentPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly live = inject(LiveUpdates);
  protected readonly sandboxes = signal<InstanceView[]>([]);
  protected readonly instanceId = signal<string | null>(null);
  protected readonly conversationId = signal<string | null>(null);
  protected readonly messages = signal<MessageView[]>([]);
  protected readonly state = signal<'loading' | 'empty' | 'ready' | 'error'>('loading');
  protected readonly problem = signal<string | null>(null);
  protected readonly sending = signal(false);
  /** Waiting for the agent: the last message is the customer's. */
  protected readonly waiting = computed(() => this.messages().at(-1)?.author === 'CUSTOMER');
  private readonly composer = viewChild(Composer);

  constructor() {
    const subscription = this.live.events.subscribe((event) => {
      if ((event.type === 'message.created' || event.type === 'message.updated') && event.conversationId === this.conversationId()) {
        this.messages.update((messages) => upsertMessage(messages, event.message));
      } else if (event.type === 'resync') {
        void this.refresh();
      }
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  async ngOnInit(): Promise<void> {
    try {
      const sandboxes = (await this.api.listInstances()).items.filter((instance) => instance.provider === 'SANDBOX');
      this.sandboxes.set(sandboxes);
      if (sandboxes.length === 0) return this.state.set('empty');
      await this.choose(sandboxes[0]!.id);
      this.state.set('ready');
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
      this.state.set('error');
    }
  }

  protected async choose(instanceId: string): Promise<void> {
    this.instanceId.set(instanceId);
    this.messages.set([]);
    const page = await this.api.listConversations({ instanceId, limit: 100 });
    const digits = sandboxTesterPhone.replace('+', '');
    this.conversationId.set(page.items.find((conversation) => conversation.contact.phone === digits)?.id ?? null);
    await this.refresh();
  }

  protected async send(text: string): Promise<void> {
    const instanceId = this.instanceId();
    if (!instanceId) return;
    this.sending.set(true);
    this.problem.set(null);
    try {
      const sent = await this.api.sendSandboxMessage(instanceId, { from: sandboxTesterPhone, text, name: 'Test customer' });
      this.conversationId.set(sent.conversationId);
      this.composer()?.clear();
      await this.refresh();
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.sending.set(false);
    }
  }

  private async refresh(): Promise<void> {
    const conversationId = this.conversationId();
    if (!conversationId) return;
    const page = await this.api.listMessages(conversationId).catch(() => null);
    if (page && conversationId === this.conversationId()) this.messages.update((messages) => mergeMessages(messages, page.items));
  }
}
