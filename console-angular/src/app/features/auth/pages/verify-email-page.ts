import { ChangeDetectionStrategy, Component, type OnInit, inject, input, signal } from '@angular/core';
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

type Outcome = { state: 'verifying' } | { state: 'verified'; email: string } | { state: 'failed'; message: TranslationKey; canResend: boolean };

/** Where the e-mail link lands (EMAIL_VERIFICATION_URL = PUBLIC_URL/verify-email): verifies the token through the API. */
@Component({
  selector: 'app-verify-email-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        @switch (outcome().state) {
          @case ('verifying') {
            <p role="status">{{ i18n.t('auth.verifying') }}</p>
          }
          @case ('verified') {
            <p class="notice success" role="status" data-testid="verified">{{ i18n.t('auth.verified', { email: verifiedEmail() }) }}</p>
            <a mat-flat-button routerLink="/login">{{ i18n.t('auth.signIn') }}</a>
          }
          @case ('failed') {
            <p class="notice error" role="alert" data-testid="verify-failed">{{ i18n.t(failure()) }}</p>
            @if (canResend()) {
              @if (resent()) {
                <p class="notice success" role="status">{{ i18n.t('auth.resent') }}</p>
              } @else {
                <form (ngSubmit)="resend()" class="stack">
                  <mat-form-field appearance="outline" subscriptSizing="dynamic">
                    <mat-label>{{ i18n.t('auth.email') }}</mat-label>
                    <input matInput type="email" name="email" [(ngModel)]="resendEmail" required autocomplete="email" />
                  </mat-form-field>
                  <button mat-stroked-button type="submit">{{ i18n.t('auth.resend') }}</button>
                </form>
              }
            }
            <a routerLink="/login">{{ i18n.t('auth.signIn') }}</a>
          }
        }
      </main>
    </div>
  `,
})
export class VerifyEmailPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly token = input<string | undefined>();
  protected readonly outcome = signal<Outcome>({ state: 'verifying' });
  protected readonly resent = signal(false);
  protected resendEmail = '';

  protected verifiedEmail(): string {
    const outcome = this.outcome();
    return outcome.state === 'verified' ? outcome.email : '';
  }
  protected failure(): TranslationKey {
    const outcome = this.outcome();
    return outcome.state === 'failed' ? outcome.message : 'auth.linkInvalid';
  }
  protected canResend(): boolean {
    const outcome = this.outcome();
    return outcome.state === 'failed' && outcome.canResend;
  }

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) return this.outcome.set({ state: 'failed', message: 'auth.linkInvalid', canResend: true });
    try {
      const { email } = await this.api.verifyEmail(token);
      this.outcome.set({ state: 'verified', email });
    } catch (error) {
      const reason = toApiProblem(error).reason;
      if (reason === 'TOKEN_EXPIRED') this.outcome.set({ state: 'failed', message: 'auth.linkExpired', canResend: true });
      else if (reason === 'TOKEN_USED') this.outcome.set({ state: 'failed', message: 'auth.linkUsed', canResend: false });
      else this.outcome.set({ state: 'failed', message: 'auth.linkInvalid', canResend: true });
    }
  }

  protected async resend(): Promise<void> {
    if (!this.resendEmail.includes('@')) return;
    await this.api.resendVerification(this.resendEmail).catch(() => undefined);
    this.resent.set(true);
  }
}
