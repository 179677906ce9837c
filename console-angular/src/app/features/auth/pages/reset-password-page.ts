import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';
import { AuthLanguageSwitch } from './auth-language-switch';

const failures: Record<string, TranslationKey> = {
  TOKEN_EXPIRED: 'auth.resetLinkExpired',
  TOKEN_USED: 'auth.resetLinkUsed',
  TOKEN_INVALID: 'auth.resetLinkInvalid',
};

/** Where the reset e-mail lands (PASSWORD_RESET_URL = PUBLIC_URL/reset-password): a new password for the token. */
@Component({
  selector: 'app-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        <h1>{{ i18n.t('auth.resetTitle') }}</h1>
        @if (done()) {
          <p class="notice success" role="status" data-testid="password-reset">{{ i18n.t('auth.passwordChanged') }}</p>
          <a mat-flat-button routerLink="/login">{{ i18n.t('auth.signIn') }}</a>
        } @else {
          @if (failure(); as key) {
            <p class="notice error" role="alert">{{ i18n.t(key) }}</p>
            <a routerLink="/forgot-password">{{ i18n.t('auth.sendResetLink') }}</a>
          }
          <form (ngSubmit)="submit()" class="stack">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ i18n.t('auth.newPassword') }}</mat-label>
              <input matInput type="password" name="password" [(ngModel)]="password" required minlength="8" autocomplete="new-password" />
              <mat-hint>{{ i18n.t('auth.passwordHint') }}</mat-hint>
            </mat-form-field>
            <button mat-flat-button type="submit" [disabled]="busy() || password.length < 8">{{ i18n.t('auth.setPassword') }}</button>
          </form>
        }
      </main>
    </div>
  `,
})
export class ResetPasswordPage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly token = input<string | undefined>();
  protected readonly done = signal(false);
  protected readonly busy = signal(false);
  protected readonly failure = signal<TranslationKey | null>(null);
  protected password = '';

  protected async submit(): Promise<void> {
    const token = this.token();
    if (!token) return this.failure.set('auth.resetLinkInvalid');
    this.busy.set(true);
    this.failure.set(null);
    try {
      await this.api.resetPassword(token, this.password);
      this.done.set(true);
    } catch (error) {
      this.failure.set(failures[toApiProblem(error).reason ?? ''] ?? 'auth.resetLinkInvalid');
    } finally {
      this.busy.set(false);
    }
  }
}
