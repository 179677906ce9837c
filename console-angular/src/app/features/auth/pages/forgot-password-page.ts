import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { AuthLanguageSwitch } from './auth-language-switch';

/** "Forgot your password?": asks for the address; the answer is the same whether or not it has an account. */
@Component({
  selector: 'app-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        <h1>{{ i18n.t('auth.forgotTitle') }}</h1>
        @if (sent()) {
          <p class="notice success" role="status" data-testid="reset-sent">{{ i18n.t('auth.resetSent') }}</p>
        } @else {
          @if (problem(); as message) {
            <p class="notice error" role="alert">{{ message }}</p>
          }
          <form (ngSubmit)="submit()" class="stack">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ i18n.t('auth.email') }}</mat-label>
              <input matInput type="email" name="email" [(ngModel)]="email" required autocomplete="username" />
            </mat-form-field>
            <button mat-flat-button type="submit" [disabled]="busy()">{{ i18n.t('auth.sendResetLink') }}</button>
          </form>
        }
        <a routerLink="/login">{{ i18n.t('auth.signIn') }}</a>
      </main>
    </div>
  `,
})
export class ForgotPasswordPage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly sent = signal(false);
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected email = '';

  protected async submit(): Promise<void> {
    if (!this.email.includes('@')) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      await this.api.forgotPassword(this.email);
      this.sent.set(true);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
