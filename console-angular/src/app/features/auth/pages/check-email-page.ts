import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import { I18n } from '../../../core/i18n/i18n';
import { AuthLanguageSwitch } from './auth-language-switch';

@Component({
  selector: 'app-check-email-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatButtonModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        <h1>{{ i18n.t('auth.checkEmailTitle') }}</h1>
        <p data-testid="check-email">{{ i18n.t('auth.checkEmailBody', { email: email() ?? '' }) }}</p>
        @if (resent()) {
          <p class="notice success" role="status">{{ i18n.t('auth.resent') }}</p>
        }
        <div class="actions">
          <button mat-stroked-button type="button" (click)="resend()" [disabled]="!email() || resent()">{{ i18n.t('auth.resend') }}</button>
          <a routerLink="/login">{{ i18n.t('auth.signIn') }}</a>
        </div>
      </main>
    </div>
  `,
})
export class CheckEmailPage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly email = input<string | undefined>();
  protected readonly resent = signal(false);

  protected async resend(): Promise<void> {
    const email = this.email();
    if (!email) return;
    // The API answers 202 whether or not the address exists; only a network failure is worth showing.
    await this.api.resendVerification(email).catch(() => undefined);
    this.resent.set(true);
  }
}
