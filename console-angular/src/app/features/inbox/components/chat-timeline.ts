import { ChangeDetectionStrategy, Component, type ElementRef, computed, effect, inject, input, output, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MessageView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { withDaySeparators } from '../data/message-list';
import { MessageBubble } from './message-bubble';

/** The messages of one conversation with day separators; keeps the newest message in view as messages arrive. */
@Component({
  selector: 'app-chat-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MessageBubble],
  template: `
    <div class="scroller" #scroller role="log" aria-live="polite" [attr.aria-label]="label()" tabindex="0" data-testid="timeline">
      @if (canLoadOlder()) {
        <div class="older"><button mat-button type="button" (click)="loadOlder.emit()">{{ i18n.t('inbox.loadOlder') }}</button></div>
      }
      @for (entry of entries(); track entry.key) {
        @if (entry.type === 'day') {
          <div class="day" role="separator"><span>{{ i18n.dayLabel(entry.at) }}</span></div>
        } @else {
          <app-message-bubble [message]="entry.message" />
        }
      } @empty {
        <p class="empty muted">{{ i18n.t('inbox.noMessages') }}</p>
      }
    </div>
  `,
  styles: `
    :host { display: block; min-height: 0; flex: 1; background: var(--console-chat-bg); }
    .scroller { height: 100%; overflow-y: auto; padding: 8px 0 12px; box-sizing: border-box; }
    .day { display: flex; justify-content: center; margin: 8px 0; }
    .day span { background: #fff; color: var(--console-muted); font-size: 0.75rem; padding: 4px 10px; border-radius: 8px; box-shadow: 0 1px 0.5px rgb(11 20 26 / 13%); }
    .older { display: flex; justify-content: center; }
    .empty { text-align: center; margin-top: 32px; }
  `,
})
export class ChatTimeline {
  protected readonly i18n = inject(I18n);
  readonly messages = input.required<MessageView[]>();
  readonly label = input('');
  readonly canLoadOlder = input(false);
  readonly loadOlder = output();
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  protected readonly entries = computed(() => withDaySeparators(this.messages(), (value) => this.i18n.dayNumber(value)));

  constructor() {
    let lastNewestId: string | undefined;
    effect(() => {
      const newest = this.messages().at(-1)?.id;
      if (newest === lastNewestId) return;
      lastNewestId = newest;
      // After the view renders the new message: scroll to it, like a messenger does.
      queueMicrotask(() => requestAnimationFrame(() => {
        const element = this.scroller().nativeElement;
        element.scrollTop = element.scrollHeight;
      }));
    });
  }
}
