import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import type { ConversationView, MessageView } from '../../../core/api/api-models';
import type { ApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';
import { Icon } from '../../../shared/ui/icon';
import { ContactFieldsPanel } from '../../contacts/components/contact-fields-panel';
import { type BotPauseChoice, botPauseChoices } from '../data/bot-pause';
import { contactLabel, windowTimeLeft } from '../data/message-list';
import { ChatTimeline } from './chat-timeline';
import { Composer } from './composer';

/** The open conversation: header with the bot switch and the window, the timeline, and the composer. */
@Component({
  selector: 'app-chat-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatSlideToggleModule, Icon, ChatTimeline, Composer, ContactFieldsPanel],
  template: `
    <header class="header">
      <button mat-icon-button type="button" class="back" (click)="back.emit()" [attr.aria-label]="i18n.t('inbox.back')">
        <app-icon name="back" />
      </button>
      <div class="who">
        <h2 data-testid="chat-title">{{ title() }}</h2>
        <span class="status" [class.closed]="windowLeft() === null">
          {{ windowLeft() === null ? i18n.t('inbox.windowClosed') : i18n.t('inbox.windowOpen', { left: i18n.duration(windowLeft() ?? 0) }) }}
        </span>
      </div>
      <button
        mat-icon-button
        type="button"
        (click)="detailsOpen.set(!detailsOpen())"
        [attr.aria-expanded]="detailsOpen()"
        aria-controls="contact-details"
        data-testid="contact-details-toggle"
        [attr.aria-label]="i18n.t('contactPanel.title')"
        [title]="i18n.t('contactPanel.title')"
      >
        <app-icon name="person" />
      </button>
      <mat-slide-toggle
        [checked]="!conversation().botDisabled"
        (change)="botToggled.emit($event.checked)"
        data-testid="contact-bot"
        [attr.aria-label]="i18n.t('inbox.botToggle')"
      >
        <span class="bot-label">{{ botLabel() }}</span>
      </mat-slide-toggle>
      <!-- A disclosure rather than mat-menu: the overlay would add ~30 kB to the inbox chunk. -->
      <!-- Escape pressed on the button or a choice inside closes it; the wrapper itself is no control. -->
      <!-- eslint-disable-next-line @angular-eslint/template/interactive-supports-focus -->
      <div class="pause" (keydown.escape)="pauseOpen.set(false)">
        <button
          mat-icon-button
          type="button"
          (click)="pauseOpen.set(!pauseOpen())"
          [attr.aria-expanded]="pauseOpen()"
          aria-controls="bot-pause-choices"
          data-testid="bot-pause-menu"
          [attr.aria-label]="i18n.t('inbox.pauseFor')"
          [title]="i18n.t('inbox.pauseFor')"
        >
          <app-icon name="clock" />
        </button>
        @if (pauseOpen()) {
          <ul class="pause-choices" id="bot-pause-choices">
            @for (choice of pauseChoices; track choice) {
              <li>
                <button type="button" (click)="pick(choice)" [attr.data-testid]="'bot-pause-' + choice">{{ i18n.t(pauseLabels[choice]) }}</button>
              </li>
            }
          </ul>
        }
      </div>
    </header>
    @if (detailsOpen()) {
      <app-contact-fields-panel id="contact-details" [contactId]="conversation().contact.id" />
    }
    @if (conversation().botDisabled) {
      <p class="paused" role="status" data-testid="bot-paused"><app-icon name="pause" [size]="16" /> {{ botLabel() }}</p>
    }
    @switch (state()) {
      @case ('loading') {
        <p class="center" role="status">{{ i18n.t('state.loading') }}</p>
      }
      @case ('error') {
        <p class="center error-text" role="alert">{{ i18n.t('state.offline') }}</p>
      }
      @default {
        <app-chat-timeline
          [messages]="messages()"
          [label]="title()"
          [canLoadOlder]="canLoadOlder()"
          [loadingOlder]="loadingOlder()"
          (loadOlder)="loadOlder.emit()"
        />
      }
    }
    @if (sendProblem(); as problem) {
      <p class="send-error" role="alert" data-testid="send-error">
        {{ problem.code === 'WINDOW_CLOSED' ? i18n.t('composer.windowClosed') : problem.message }}
      </p>
    }
    <app-composer
      [windowClosed]="composerClosed()"
      [busy]="sending()"
      [notice]="conversation().botDisabled ? '' : i18n.t('composer.pauseNotice')"
      (submitted)="reply.emit($event)"
    />
  `,
  styleUrl: './chat-panel.scss',
})
export class ChatPanel {
  protected readonly i18n = inject(I18n);
  readonly conversation = input.required<ConversationView>();
  readonly messages = input.required<MessageView[]>();
  readonly state = input<'idle' | 'loading' | 'ready' | 'error'>('ready');
  readonly canLoadOlder = input(false);
  readonly loadingOlder = input(false);
  readonly sending = input(false);
  readonly sendProblem = input<ApiProblem | null>(null);
  readonly now = input(new Date());
  readonly reply = output<string>();
  readonly botToggled = output<boolean>();
  /** "Pause for…": the page turns the choice into an end time on the business's clock. */
  readonly botPaused = output<BotPauseChoice>();
  readonly loadOlder = output();
  readonly back = output();
  private readonly composer = viewChild(Composer);
  protected readonly pauseOpen = signal(false);
  /** The contact panel (custom fields); stays open while the operator moves between conversations. */
  protected readonly detailsOpen = signal(false);
  protected readonly pauseChoices = botPauseChoices;
  protected readonly pauseLabels = {
    thirtyMinutes: 'inbox.pause.thirtyMinutes',
    twoHours: 'inbox.pause.twoHours',
    tomorrowMorning: 'inbox.pause.tomorrowMorning',
    indefinitely: 'inbox.pause.indefinitely',
  } as const satisfies Record<BotPauseChoice, TranslationKey>;

  protected readonly title = computed(() => contactLabel(this.conversation()));
  protected readonly windowLeft = computed(() => windowTimeLeft(this.conversation(), this.now()));
  /** Only the Cloud API enforces the window; sandbox and Baileys numbers can always answer. */
  protected readonly composerClosed = computed(() => this.conversation().instance.provider === 'META' && this.windowLeft() === null);
  protected readonly botLabel = computed(() => {
    const conversation = this.conversation();
    if (!conversation.botDisabled) return this.i18n.t('inbox.botOn');
    return conversation.botDisabledUntil
      ? this.i18n.t('inbox.botPausedUntil', { time: this.i18n.time(conversation.botDisabledUntil) })
      : this.i18n.t('inbox.botPaused');
  });

  protected pick(choice: BotPauseChoice): void {
    this.pauseOpen.set(false);
    this.botPaused.emit(choice);
  }

  clearComposer(): void {
    this.composer()?.clear();
  }
}
