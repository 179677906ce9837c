import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';

/** The reply box. Enter sends, Shift+Enter breaks the line; when the 24 h window is closed it explains why it is off. */
@Component({
  selector: 'app-composer',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, Icon],
  template: `
    @if (windowClosed()) {
      <p class="closed" role="note" data-testid="window-closed">{{ i18n.t('composer.windowClosed') }}</p>
    } @else {
      @if (notice()) {
        <p class="notice-line">{{ notice() }}</p>
      }
      <form (ngSubmit)="send()" class="row">
        <label class="visually-hidden" [for]="inputId">{{ placeholder() || i18n.t('composer.placeholder') }}</label>
        <textarea
          [id]="inputId"
          name="text"
          rows="1"
          [(ngModel)]="text"
          [placeholder]="placeholder() || i18n.t('composer.placeholder')"
          (keydown.enter)="onEnter($event)"
          [disabled]="busy()"
          maxlength="4096"
          data-testid="composer-input"
        ></textarea>
        <button
          mat-icon-button
          type="submit"
          [disabled]="busy() || !text().trim()"
          [attr.aria-label]="i18n.t('composer.send')"
          data-testid="composer-send"
        >
          <app-icon name="send" />
        </button>
      </form>
    }
  `,
  styles: `
    :host {
      display: block;
      background: #f0f2f5;
      padding: 8px 12px;
      border-top: 1px solid var(--console-line);
    }
    .row {
      display: flex;
      gap: 8px;
      align-items: flex-end;
    }
    textarea {
      flex: 1;
      resize: none;
      border: 0;
      border-radius: 8px;
      padding: 10px 12px;
      font: inherit;
      min-height: 20px;
      max-height: 120px;
      background: #fff;
    }
    textarea:focus-visible {
      outline: 2px solid var(--console-brand);
    }
    .closed {
      margin: 4px 0;
      padding: 8px 12px;
      background: #fff4e5;
      color: #6b4100;
      border-radius: 8px;
    }
    .notice-line {
      margin: 0 0 6px;
      font-size: 0.8rem;
      color: var(--console-muted);
    }
  `,
})
export class Composer {
  protected readonly i18n = inject(I18n);
  private static nextId = 0;
  protected readonly inputId = `composer-${Composer.nextId++}`;
  readonly windowClosed = input(false);
  readonly busy = input(false);
  readonly placeholder = input('');
  readonly notice = input('');
  /** Emits the trimmed text; the parent clears the box by calling clear() once the message is accepted. */
  readonly submitted = output<string>();
  protected readonly text = signal('');

  protected onEnter(event: Event): void {
    if ((event as KeyboardEvent).shiftKey) return;
    event.preventDefault();
    this.send();
  }

  protected send(): void {
    const text = this.text().trim();
    if (text && !this.busy()) this.submitted.emit(text);
  }

  clear(): void {
    this.text.set('');
  }
}
