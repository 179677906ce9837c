import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiClient } from '../../../core/api/api-client';
import type { ConversationView, MessageView } from '../../../core/api/api-models';
import { toApiProblem, type ApiProblem } from '../../../core/api/api-error';
import type { LiveEvent } from '../../../core/live/live-event';
import { filterConversations, mergeMessages, sortConversations, upsertMessage } from './message-list';

/** How long typing pauses before the server is asked (the loaded rows are filtered at once meanwhile). */
export const searchDebounceMs = 250;

/**
 * The inbox's state as signals: the conversation list (filtered by instance), the search results, the open chat and
 * its messages. Every change, whether it comes from an API answer, a live event or a refetch, goes through upserts by
 * id, so the same message arriving twice shows once.
 */
@Injectable()
export class InboxStore {
  private readonly api = inject(ApiClient);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to an older term (or instance) are dropped: only the newest search may fill the list. */
  private searchGeneration = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
  }

  readonly conversations = signal<ConversationView[]>([]);
  readonly listState = signal<'loading' | 'ready' | 'error'>('loading');
  readonly listProblem = signal<ApiProblem | null>(null);
  readonly search = signal('');
  /** The server's answer for the current term, every conversation of the business searched; null until it arrives. */
  readonly searchResults = signal<ConversationView[] | null>(null);
  readonly searchProblem = signal<ApiProblem | null>(null);
  private readonly searchCursor = signal<string | null>(null);
  readonly instanceId = signal<string | null>(null);
  readonly selectedId = signal<string | null>(null);
  readonly messages = signal<MessageView[]>([]);
  readonly chatState = signal<'idle' | 'loading' | 'ready' | 'error'>('idle');
  readonly olderCursor = signal<string | null>(null);
  readonly loadingOlder = signal(false);
  /** The next page of the conversation list (10,000 conversations arrive a hundred at a time, as the list scrolls). */
  readonly listCursor = signal<string | null>(null);
  readonly loadingMore = signal(false);
  readonly sendProblem = signal<ApiProblem | null>(null);
  readonly sending = signal(false);

  readonly searching = computed(() => this.search().trim() !== '');
  /** While the server searches, the rows already loaded are filtered so the list answers the first keystroke. */
  readonly visible = computed(() =>
    this.searching() ? (this.searchResults() ?? filterConversations(this.conversations(), this.search())) : this.conversations(),
  );
  readonly selected = computed(
    () => [...this.conversations(), ...(this.searchResults() ?? [])].find((conversation) => conversation.id === this.selectedId()) ?? null,
  );

  setSearch(term: string): void {
    this.search.set(term);
    this.searchResults.set(null);
    this.searchProblem.set(null);
    this.searchGeneration += 1;
    clearTimeout(this.searchTimer);
    if (this.searching()) this.searchTimer = setTimeout(() => void this.runSearch(), searchDebounceMs);
  }

  /** The first page; `merge` (a resync) keeps the pages already scrolled through and updates the rows it got. */
  async loadConversations(options: { merge?: boolean } = {}): Promise<void> {
    if (this.conversations().length === 0) this.listState.set('loading');
    try {
      const page = await this.api.listConversations({ instanceId: this.instanceId(), limit: 100 });
      if (options.merge && this.conversations().length > page.items.length) {
        const fresh = new Set(page.items.map((item) => item.id));
        this.conversations.update((list) => sortConversations([...page.items, ...list.filter((item) => !fresh.has(item.id))]));
      } else {
        this.conversations.set(page.items);
        this.listCursor.set(page.nextCursor);
      }
      this.listState.set('ready');
      this.listProblem.set(null);
    } catch (error) {
      this.listProblem.set(toApiProblem(error));
      this.listState.set('error');
    }
  }

  async loadMoreConversations(): Promise<void> {
    if (this.searching()) return this.loadMoreSearchResults();
    const cursor = this.listCursor();
    if (!cursor || this.loadingMore()) return;
    this.loadingMore.set(true);
    try {
      const page = await this.api.listConversations({ instanceId: this.instanceId(), limit: 100, cursor });
      if (this.listCursor() !== cursor) return;
      const known = new Set(this.conversations().map((item) => item.id));
      this.conversations.update((list) => [...list, ...page.items.filter((item) => !known.has(item.id))]);
      this.listCursor.set(page.nextCursor);
    } catch (error) {
      this.listProblem.set(toApiProblem(error));
    } finally {
      this.loadingMore.set(false);
    }
  }

  async filterByInstance(instanceId: string | null): Promise<void> {
    this.instanceId.set(instanceId);
    if (this.searching()) this.setSearch(this.search());
    await this.loadConversations();
  }

  async select(conversationId: string | null): Promise<void> {
    this.selectedId.set(conversationId);
    this.messages.set([]);
    this.sendProblem.set(null);
    if (!conversationId) return this.chatState.set('idle');
    this.chatState.set('loading');
    await this.refreshMessages(conversationId);
    void this.markRead(conversationId);
  }

  async loadOlder(): Promise<void> {
    const conversationId = this.selectedId();
    const cursor = this.olderCursor();
    if (!conversationId || !cursor || this.loadingOlder()) return;
    this.loadingOlder.set(true);
    try {
      const page = await this.api.listMessages(conversationId, { cursor, limit: 100 });
      if (this.selectedId() !== conversationId) return;
      this.messages.update((messages) => mergeMessages(messages, page.items));
      this.olderCursor.set(page.nextCursor);
    } catch (error) {
      this.sendProblem.set(toApiProblem(error));
    } finally {
      this.loadingOlder.set(false);
    }
  }

  async sendReply(text: string): Promise<boolean> {
    const conversation = this.selected();
    if (!conversation) return false;
    this.sending.set(true);
    this.sendProblem.set(null);
    try {
      const { message } = await this.api.sendReply(conversation.id, text, crypto.randomUUID());
      this.messages.update((messages) => upsertMessage(messages, message));
      // The API pauses the bot for a contact an operator answers; show it before the next refetch.
      this.patchContact(conversation.contact.id, { botDisabled: true });
      return true;
    } catch (error) {
      this.sendProblem.set(toApiProblem(error));
      return false;
    } finally {
      this.sending.set(false);
    }
  }

  async setContactBot(conversation: ConversationView, enabled: boolean): Promise<void> {
    const contact = await this.api.updateContact(conversation.contact.id, { botDisabled: !enabled });
    this.patchContact(contact.id, { botDisabled: contact.botDisabled, botDisabledUntil: contact.botDisabledUntil });
  }

  /** Pauses the bot for a contact until an instant (ISO), or until switched back on when `until` is null. */
  async pauseContactBot(conversation: ConversationView, until: string | null): Promise<void> {
    const contact = await this.api.updateContact(conversation.contact.id, { botDisabled: true, until });
    this.patchContact(contact.id, { botDisabled: contact.botDisabled, botDisabledUntil: contact.botDisabledUntil });
  }

  apply(event: LiveEvent): void {
    switch (event.type) {
      case 'message.created':
      case 'message.updated':
        if (event.conversationId === this.selectedId()) {
          this.messages.update((messages) => upsertMessage(messages, event.message));
          if (event.type === 'message.created' && event.message.direction === 'INBOUND') void this.markRead(event.conversationId);
        }
        if (!this.conversations().some((conversation) => conversation.id === event.conversationId)) void this.loadConversations();
        return;
      case 'conversation.updated': {
        const incoming = event.conversation.id === this.selectedId() ? { ...event.conversation, unreadCount: 0 } : event.conversation;
        if (this.instanceId() && incoming.instance.id !== this.instanceId()) return;
        this.conversations.update((list) => sortConversations([incoming, ...list.filter((item) => item.id !== incoming.id)]));
        // A search result stays a result (with the message that matched); only its state is refreshed.
        this.searchResults.update(
          (results) => results?.map((item) => (item.id === incoming.id ? { ...incoming, searchMatch: item.searchMatch ?? null } : item)) ?? null,
        );
        return;
      }
      case 'resync': {
        void this.loadConversations({ merge: true });
        if (this.searching()) void this.runSearch();
        const selected = this.selectedId();
        if (selected) void this.refreshMessages(selected);
        return;
      }
      case 'business.updated':
        return;
    }
  }

  private async runSearch(): Promise<void> {
    const generation = this.searchGeneration;
    try {
      const page = await this.api.listConversations({ q: this.search().trim(), instanceId: this.instanceId(), limit: 100 });
      if (generation !== this.searchGeneration) return;
      this.searchResults.set(page.items);
      this.searchCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.searchGeneration) this.searchProblem.set(toApiProblem(error));
    }
  }

  private async loadMoreSearchResults(): Promise<void> {
    const cursor = this.searchCursor();
    if (!cursor || this.loadingMore()) return;
    const generation = this.searchGeneration;
    this.loadingMore.set(true);
    try {
      const page = await this.api.listConversations({ q: this.search().trim(), instanceId: this.instanceId(), limit: 100, cursor });
      if (generation !== this.searchGeneration) return;
      const known = new Set((this.searchResults() ?? []).map((item) => item.id));
      this.searchResults.update((results) => [...(results ?? []), ...page.items.filter((item) => !known.has(item.id))]);
      this.searchCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.searchGeneration) this.searchProblem.set(toApiProblem(error));
    } finally {
      this.loadingMore.set(false);
    }
  }

  private async refreshMessages(conversationId: string): Promise<void> {
    try {
      const page = await this.api.listMessages(conversationId);
      if (this.selectedId() !== conversationId) return;
      this.messages.update((messages) => mergeMessages(messages, page.items));
      if (this.olderCursor() === null || this.chatState() === 'loading') this.olderCursor.set(page.nextCursor);
      this.chatState.set('ready');
    } catch {
      if (this.selectedId() === conversationId && this.chatState() === 'loading') this.chatState.set('error');
    }
  }

  private async markRead(conversationId: string): Promise<void> {
    this.updateRows((item) => (item.id === conversationId ? { ...item, unreadCount: 0 } : item));
    // Best effort: the unread badge is cosmetic and the next refetch corrects it.
    await this.api.markRead(conversationId).catch(() => undefined);
  }

  private patchContact(contactId: string, change: Partial<Pick<ConversationView, 'botDisabled' | 'botDisabledUntil'>>): void {
    this.updateRows((item) => (item.contact.id === contactId ? { ...item, ...change } : item));
  }

  /** The same change to a conversation's row in the list and among the search results. */
  private updateRows(change: (item: ConversationView) => ConversationView): void {
    this.conversations.update((list) => list.map(change));
    this.searchResults.update((results) => results?.map(change) ?? null);
  }
}
