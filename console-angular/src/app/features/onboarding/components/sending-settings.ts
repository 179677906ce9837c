import { ChangeDetectionStrategy, Component, effect, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ApiClient } from '../../../core/api/api-client';
import type { InstanceView, UpdateInstanceRequest } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';

/** The form's values; an empty field means "the platform's default" (sent as null). */
interface SettingsDraft {
  maxPerMinute: number | null;
  minGapSeconds: number | null;
  newContactsPerDay: number | null;
  typing: 'default' | 'on' | 'off';
}

/** The API's settings → the form (the gap is edited in seconds, kept in milliseconds). Pure. */
export function draftOf(settings: InstanceView['baileys']): SettingsDraft {
  return {
    maxPerMinute: settings?.maxPerMinute ?? null,
    minGapSeconds: settings?.minGapPerRecipientMs != null ? settings.minGapPerRecipientMs / 1_000 : null,
    newContactsPerDay: settings?.newContactsPerDay ?? null,
    typing: settings?.typing == null ? 'default' : settings.typing ? 'on' : 'off',
  };
}

/** The form → the PATCH body: every key sent, an empty field as null (back to the default). Pure. */
export function patchOf(draft: SettingsDraft): NonNullable<UpdateInstanceRequest['baileys']> {
  const number = (value: number | null) => (value === null || Number.isNaN(value) ? null : value);
  const gap = number(draft.minGapSeconds);
  return {
    maxPerMinute: number(draft.maxPerMinute),
    minGapPerRecipientMs: gap === null ? null : Math.round(gap * 1_000),
    newContactsPerDay: number(draft.newContactsPerDay),
    typing: draft.typing === 'default' ? null : draft.typing === 'on',
  };
}

/** A WhatsApp Web number's sending limits (the governor that keeps it from looking like a bot to WhatsApp). */
@Component({
  selector: 'app-sending-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form (ngSubmit)="save()" class="settings" data-testid="sending-settings" [attr.aria-label]="i18n.t('sending.title')">
      <h3>{{ i18n.t('sending.title') }}</h3>
      <p class="muted">{{ i18n.t('sending.help') }}</p>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>{{ i18n.t('sending.maxPerMinute') }}</mat-label>
        <input
          matInput
          type="number"
          name="maxPerMinute"
          min="1"
          max="60"
          step="1"
          [(ngModel)]="draft.maxPerMinute"
          [placeholder]="i18n.t('sending.default')"
        />
        <mat-hint>{{ i18n.t('sending.maxPerMinuteHint') }}</mat-hint>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>{{ i18n.t('sending.minGapSeconds') }}</mat-label>
        <input
          matInput
          type="number"
          name="minGapSeconds"
          min="1"
          max="600"
          step="1"
          [(ngModel)]="draft.minGapSeconds"
          [placeholder]="i18n.t('sending.default')"
        />
        <mat-hint>{{ i18n.t('sending.minGapSecondsHint') }}</mat-hint>
      </mat-form-field>
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>{{ i18n.t('sending.newContactsPerDay') }}</mat-label>
        <input
          matInput
          type="number"
          name="newContactsPerDay"
          min="0"
          max="200"
          step="1"
          [(ngModel)]="draft.newContactsPerDay"
          [placeholder]="i18n.t('sending.default')"
        />
        <mat-hint>{{ i18n.t('sending.newContactsPerDayHint') }}</mat-hint>
      </mat-form-field>
      <label class="typing">
        {{ i18n.t('sending.typing') }}
        <select name="typing" [(ngModel)]="draft.typing">
          <option value="default">{{ i18n.t('sending.default') }}</option>
          <option value="on">{{ i18n.t('sending.typingOn') }}</option>
          <option value="off">{{ i18n.t('sending.typingOff') }}</option>
        </select>
      </label>
      @if (problem(); as message) {
        <p class="notice error" role="alert" data-testid="sending-error">{{ message }}</p>
      }
      @if (saved()) {
        <p class="notice success" role="status" data-testid="sending-saved">{{ i18n.t('sending.saved') }}</p>
      }
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="busy()">{{ i18n.t('sending.save') }}</button>
        <button mat-stroked-button type="button" (click)="resetToDefaults()" [disabled]="busy()">{{ i18n.t('sending.reset') }}</button>
      </div>
    </form>
  `,
  styles: `
    .settings {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    h3 {
      margin: 0;
      font-size: 1rem;
    }
    .typing {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .typing select {
      font: inherit;
      padding: 6px 8px;
      border-radius: 6px;
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
    }
  `,
})
export class SendingSettings {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly instance = input.required<InstanceView>();
  readonly updated = output<InstanceView>();
  protected draft: SettingsDraft = draftOf(null);
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly problem = signal<string | null>(null);

  constructor() {
    // Another number chosen on the page: its own settings, and no message left from the last one.
    effect(() => {
      this.draft = draftOf(this.instance().baileys);
      this.saved.set(false);
      this.problem.set(null);
    });
  }

  protected async save(): Promise<void> {
    await this.submit(patchOf(this.draft));
  }

  protected async resetToDefaults(): Promise<void> {
    this.draft = draftOf(null);
    await this.submit(patchOf(this.draft));
  }

  private async submit(baileys: NonNullable<UpdateInstanceRequest['baileys']>): Promise<void> {
    this.busy.set(true);
    this.saved.set(false);
    this.problem.set(null);
    try {
      const instance = await this.api.updateInstance(this.instance().id, { baileys });
      this.draft = draftOf(instance.baileys);
      this.saved.set(true);
      this.updated.emit(instance);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
