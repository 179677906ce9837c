import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { MessageView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { Icon, type IconName } from '../../../shared/ui/icon';
import { authorChange, replyTarget } from '../data/message-parts';
import { MessageContent } from './message-content';
import { ReplyTrace } from './reply-trace';

const tickIcons: Partial<Record<MessageView['status'], IconName>> = {
  PENDING: 'clock',
  SENDING: 'clock',
  SENT: 'done',
  DELIVERED: 'doneAll',
  READ: 'doneAll',
  PLAYED: 'doneAll',
  FAILED: 'error',
};

/** One chat bubble: who wrote it (customer, AI, operator), its text or a media placeholder, time and delivery ticks. */
@Component({
  selector: 'app-message-bubble',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Icon, MessageContent, ReplyTrace],
  template: `
    <div
      class="bubble"
      [class.outbound]="outbound()"
      [class.ai]="message().author === 'AI'"
      [attr.data-author]="message().author"
      data-testid="message"
    >
      @if (authorLabel(); as label) {
        <span class="author">
          @if (message().author === 'AI') {
            <app-icon name="robot" [size]="14" />
          }
          {{ label }}</span
        >
      }
      @if (hasReplyContext()) {
        <span class="reply-context" data-testid="reply-context">
          @if (quoted(); as quoted) {
            <strong>{{ quoted.author }}</strong>
            <span class="quoted">{{ quoted.text }}</span>
          } @else {
            {{ i18n.t('chat.replyTo') }}
          }
        </span>
      }
      @if (change().deleted) {
        <span class="deleted" data-testid="message-deleted"><app-icon name="block" [size]="14" /> {{ i18n.t('chat.deleted') }}</span>
      } @else {
        <app-message-content [message]="message()" />
      }
      <span class="meta">
        @if (change().edited && !change().deleted) {
          <span
            class="edited"
            [attr.title]="change().previousText ? i18n.t('chat.editedFrom', { text: change().previousText! }) : null"
            data-testid="message-edited"
            >{{ i18n.t('chat.edited') }}</span
          >
        }
        <time [attr.datetime]="message().sentAt">{{ i18n.time(message().sentAt) }}</time>
        @if (outbound() && tick(); as icon) {
          <span
            class="tick"
            [class.read]="message().status === 'READ' || message().status === 'PLAYED'"
            [class.failed]="message().status === 'FAILED'"
            [attr.title]="statusText()"
            data-testid="tick"
            [attr.data-status]="message().status"
          >
            <app-icon [name]="icon" [size]="16" /><span class="visually-hidden">{{ statusText() }}</span>
          </span>
        }
      </span>
      @if (message().status === 'FAILED') {
        <span class="failure" role="note">{{ i18n.t('chat.failedReason', { reason: message().errorMessage ?? message().errorCode ?? '—' }) }}</span>
      }
      @if (message().author === 'AI' && outbound()) {
        <app-reply-trace [conversationId]="message().conversationId" [messageId]="message().id" />
      }
    </div>
  `,
  styleUrl: './message-bubble.scss',
})
export class MessageBubble {
  protected readonly i18n = inject(I18n);
  readonly message = input.required<MessageView>();
  /** The message this one replies to, when it is loaded (the timeline looks it up by provider id). */
  readonly quotedMessage = input<MessageView | null>(null);
  protected readonly outbound = computed(() => this.message().direction === 'OUTBOUND');
  protected readonly tick = computed(() => tickIcons[this.message().status] ?? null);
  protected readonly statusText = computed(() => this.i18n.t(`chat.status.${this.message().status}` as const));
  protected readonly authorLabel = computed(() => {
    switch (this.message().author) {
      case 'AI':
        return this.i18n.t('chat.ai');
      case 'OPERATOR':
        return this.i18n.t('chat.operator');
      case 'SYSTEM':
        return this.i18n.t('chat.system');
      default:
        return null;
    }
  });
  protected readonly change = computed(() => authorChange(this.message()));
  protected readonly hasReplyContext = computed(() => replyTarget(this.message()) !== null);
  protected readonly quoted = computed(() => {
    const quoted = this.quotedMessage();
    if (!quoted) return null;
    const author =
      quoted.author === 'CUSTOMER' ? this.i18n.t('chat.customer') : quoted.author === 'AI' ? this.i18n.t('chat.ai') : this.i18n.t('chat.operator');
    return { author, text: quoted.text ?? `[${quoted.kind}]` };
  });
}
