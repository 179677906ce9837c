import { ScrollingModule } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import type { ConversationView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';
import { contactLabel, windowTimeLeft } from '../data/message-list';

/** Row height of the virtual list; the rows are laid out to exactly this height. */
export const conversationRowHeight = 76;

/** The conversation list, virtually scrolled so ten thousand conversations cost as much as twenty. */
@Component({
  selector: 'app-conversation-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ScrollingModule, Icon],
  template: `
    <cdk-virtual-scroll-viewport
      [itemSize]="rowHeight"
      (scrolledIndexChange)="onScrolledIndex($event)"
      class="viewport"
      role="listbox"
      [attr.aria-label]="i18n.t('inbox.title')"
      data-testid="conversation-list"
    >
      <button
        *cdkVirtualFor="let conversation of conversations(); trackBy: trackById"
        type="button"
        class="row"
        role="option"
        [attr.aria-selected]="conversation.id === selectedId()"
        [class.selected]="conversation.id === selectedId()"
        (click)="selected.emit(conversation.id)"
        data-testid="conversation"
      >
        <span class="avatar" aria-hidden="true">{{ initial(conversation) }}</span>
        <span class="body">
          <span class="line">
            <span class="name">{{ label(conversation) }}</span>
            @if (conversation.lastMessageAt) {
              <time class="time" [class.unread]="conversation.unreadCount > 0" [attr.datetime]="conversation.lastMessageAt">{{
                i18n.listTimestamp(conversation.lastMessageAt, now())
              }}</time>
            }
          </span>
          <span class="line">
            @if (conversation.searchMatch; as match) {
              <span class="preview match" data-testid="conversation-search-match"><app-icon name="search" [size]="12" /> {{ match.text }}</span>
            } @else {
              <span class="preview">{{ conversation.lastMessagePreview ?? '' }}</span>
            }
            @if (conversation.unreadCount > 0) {
              <span class="badge" [attr.aria-label]="i18n.t('inbox.unread', { count: conversation.unreadCount })">{{
                conversation.unreadCount
              }}</span>
            }
          </span>
          <span class="line tags">
            <span class="instance">{{ conversation.instance.name }}</span>
            @if (windowLeft(conversation); as left) {
              <span class="window open" [attr.title]="i18n.t('inbox.windowOpen', { left: i18n.duration(left) })"
                ><app-icon name="clock" [size]="12" /> {{ i18n.duration(left) }}</span
              >
            } @else {
              <span class="window closed">{{ i18n.t('inbox.windowClosed') }}</span>
            }
            @if (conversation.botDisabled) {
              <span class="bot paused" data-testid="conversation-bot-paused"
                ><app-icon name="pause" [size]="12" />
                {{
                  conversation.botDisabledUntil
                    ? i18n.t('inbox.botPausedUntil', { time: i18n.time(conversation.botDisabledUntil) })
                    : i18n.t('inbox.botPaused')
                }}</span
              >
            } @else {
              <span class="bot on"><app-icon name="robot" [size]="12" /> {{ i18n.t('inbox.botOn') }}</span>
            }
          </span>
        </span>
      </button>
    </cdk-virtual-scroll-viewport>
  `,
  styleUrl: './conversation-list.scss',
})
export class ConversationList {
  protected readonly i18n = inject(I18n);
  protected readonly rowHeight = conversationRowHeight;
  readonly conversations = input.required<ConversationView[]>();
  readonly selectedId = input<string | null>(null);
  /** The clock the window countdown is computed against (ticks once a minute in the page). */
  readonly now = input(new Date());
  readonly selected = output<string>();
  /** The reader is within a screen or two of the last loaded row: time for the next page. */
  readonly nearEnd = output();

  protected onScrolledIndex(index: number): void {
    if (index + 40 >= this.conversations().length) this.nearEnd.emit();
  }

  protected trackById = (_index: number, conversation: ConversationView) => conversation.id;
  protected label = contactLabel;
  protected initial(conversation: ConversationView): string {
    return contactLabel(conversation).replace(/^\+/, '').charAt(0).toUpperCase();
  }
  protected windowLeft(conversation: ConversationView): number | null {
    return windowTimeLeft(conversation, this.now());
  }
}
