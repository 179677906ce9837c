import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, inject, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import type { InstanceView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { ChatPanel } from '../components/chat-panel';
import { ConversationList } from '../components/conversation-list';
import { type BotPauseChoice, botPauseUntil } from '../data/bot-pause';
import { InboxStore } from '../data/inbox-store';
import { ContactOrders } from '../../sales/components/contact-orders';

/** WhatsApp Web's two panes: the list on the left, the chat on the right (one at a time on a phone). */
@Component({
  selector: 'app-inbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, ConversationList, ChatPanel, ContactOrders],
  providers: [InboxStore],
  templateUrl: './inbox-page.html',
  styleUrl: './inbox-page.scss',
})
export class InboxPage implements OnInit {
  protected readonly i18n = inject(I18n);
  protected readonly store = inject(InboxStore);
  private readonly api = inject(ApiClient);
  private readonly live = inject(LiveUpdates);
  protected readonly instances = signal<InstanceView[]>([]);
  protected readonly now = signal(new Date());
  private readonly panel = viewChild(ChatPanel);

  constructor() {
    const subscription = this.live.events.subscribe((event) => this.store.apply(event));
    // The window countdowns move once a minute.
    const clock = setInterval(() => this.now.set(new Date()), 60_000);
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      clearInterval(clock);
    });
  }

  async ngOnInit(): Promise<void> {
    await this.store.loadConversations();
    // The instance filter is a convenience: without the list the inbox still works.
    this.instances.set((await this.api.listInstances().catch(() => ({ items: [] }))).items);
  }

  protected async reply(text: string): Promise<void> {
    if (await this.store.sendReply(text)) this.panel()?.clearComposer();
  }

  protected async toggleBot(enabled: boolean): Promise<void> {
    const conversation = this.store.selected();
    if (conversation) await this.store.setContactBot(conversation, enabled);
  }

  protected async pauseBot(choice: BotPauseChoice): Promise<void> {
    const conversation = this.store.selected();
    if (conversation) await this.store.pauseContactBot(conversation, botPauseUntil(choice, new Date(), this.i18n.timeZone()));
  }
}
