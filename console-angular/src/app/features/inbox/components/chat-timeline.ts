import { ScrollingModule } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MessageView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';
import { type TimelineEntry, withDaySeparators } from '../data/message-list';
import { replyTarget } from '../data/message-parts';
import { ChatScrollDirective } from './chat-scroll-strategy';
import { MessageBubble } from './message-bubble';

type Row = TimelineEntry | { type: 'older'; key: 'older' };

/** Rows from the top this close make the timeline fetch the next older page by itself. */
const loadOlderThreshold = 3;

/**
 * The messages of one conversation with day separators, virtually scrolled (five thousand messages render a few
 * dozen rows). Follows new messages while the reader is at the bottom; otherwise the view stays put and a button
 * jumps to the latest. Scrolling near the top loads the older page, and the rows in view do not move when it lands.
 */
@Component({
  selector: 'app-chat-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ScrollingModule, MatButtonModule, MessageBubble, Icon, ChatScrollDirective],
  template: `
    @if (rows().length === 0) {
      <p class="empty muted">{{ i18n.t('inbox.noMessages') }}</p>
    } @else {
      <cdk-virtual-scroll-viewport
        [appChatScroll]="rowKeys"
        [chatScrollAnchorable]="anchorable"
        #scroll="chatScroll"
        (scrolledIndexChange)="onScrolledIndex($event)"
        class="viewport"
        tabindex="0"
        role="region"
        [attr.aria-label]="label()"
        data-testid="timeline"
      >
        <div *cdkVirtualFor="let row of rows(); trackBy: trackByKey" class="row" [attr.data-row]="row.type">
          @switch (row.type) {
            @case ('older') {
              <div class="older">
                <button mat-button type="button" [disabled]="loadingOlder()" (click)="loadOlder.emit()" data-testid="load-older">
                  {{ loadingOlder() ? i18n.t('state.loading') : i18n.t('inbox.loadOlder') }}
                </button>
              </div>
            }
            @case ('day') {
              <div class="day" role="separator">
                <span>{{ i18n.dayLabel($any(row).at) }}</span>
              </div>
            }
            @case ('message') {
              <app-message-bubble [message]="$any(row).message" [quotedMessage]="quoted($any(row).message)" />
            }
          }
        </div>
      </cdk-virtual-scroll-viewport>
      @if (!scroll.strategy.atBottom()) {
        <button
          mat-mini-fab
          type="button"
          class="latest"
          (click)="scroll.strategy.scrollToBottom()"
          [attr.aria-label]="i18n.t('inbox.jumpToLatest')"
          data-testid="jump-to-latest"
        >
          <app-icon name="arrowDown" />
        </button>
      }
    }
    <p class="visually-hidden" aria-live="polite">{{ announcement() }}</p>
  `,
  styles: `
    :host {
      display: block;
      position: relative;
      min-height: 0;
      flex: 1;
      background: var(--console-chat-bg);
    }
    /* The strategy anchors the view itself; the browser's own scroll anchoring would fight it. */
    .viewport {
      height: 100%;
      overflow-anchor: none;
    }
    .row {
      padding: 0;
    }
    .row:first-child {
      padding-top: 8px;
    }
    .day {
      display: flex;
      justify-content: center;
      padding: 8px 0;
    }
    .day span {
      background: #fff;
      color: var(--console-muted);
      font-size: 0.75rem;
      padding: 4px 10px;
      border-radius: 8px;
      box-shadow: 0 1px 0.5px rgb(11 20 26 / 13%);
    }
    .older {
      display: flex;
      justify-content: center;
      padding: 4px 0;
    }
    .empty {
      text-align: center;
      margin-top: 32px;
    }
    .latest {
      position: absolute;
      right: 16px;
      bottom: 16px;
    }
  `,
})
export class ChatTimeline {
  protected readonly i18n = inject(I18n);
  readonly messages = input.required<MessageView[]>();
  readonly label = input('');
  readonly canLoadOlder = input(false);
  readonly loadingOlder = input(false);
  readonly loadOlder = output();

  protected readonly rows = computed<Row[]>(() => {
    const entries: Row[] = withDaySeparators(this.messages(), (value) => this.i18n.dayNumber(value));
    return this.canLoadOlder() ? [{ type: 'older', key: 'older' }, ...entries] : entries;
  });
  /** Screen readers hear the newest message (the virtual rows come and go while scrolling, so the list itself is not live). */
  protected readonly announcement = computed(() => {
    const newest = this.messages().at(-1);
    return newest ? `${newest.author === 'CUSTOMER' ? '' : `${newest.author}: `}${newest.text ?? newest.kind}` : '';
  });
  private readonly byProviderId = computed(
    () =>
      new Map(
        this.messages()
          .filter((message) => message.providerMessageId)
          .map((message) => [message.providerMessageId!, message]),
      ),
  );
  protected quoted(message: MessageView): MessageView | null {
    const target = replyTarget(message);
    return target ? (this.byProviderId().get(target) ?? null) : null;
  }
  protected trackByKey = (_index: number, row: Row) => row.key;

  private readonly rowKeyList = computed(() => this.rows().map((row) => row.key));
  protected readonly rowKeys = () => this.rowKeyList();
  /** Day separators move when older messages of that day arrive, so they never anchor the view. */
  protected readonly anchorable = (key: string) => key !== 'older' && !key.startsWith('day-');

  protected onScrolledIndex(index: number): void {
    if (index < loadOlderThreshold && this.canLoadOlder() && !this.loadingOlder()) this.loadOlder.emit();
  }
}
