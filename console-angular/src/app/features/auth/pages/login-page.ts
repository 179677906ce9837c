import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { toApiProblem } from '../../../core/api/api-error';
import { AuthSession } from '../../../core/auth/auth-session';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';
import { AuthLanguageSwitch } from './auth-language-switch';

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        <h1>{{ i18n.t('auth.signInTitle') }}</h1>
        @if (showExpired()) {
          <p class="notice info" role="status">{{ i18n.t('auth.sessionExpired') }}</p>
        }
        @if (problem(); as key) {
          <p class="notice error" role="alert" data-testid="login-error">{{ i18n.t(key) }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ i18n.t('auth.email') }}</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="username" required />
            @if (form.controls.email.hasError('email')) {
              <mat-error>{{ i18n.t('form.invalidEmail') }}</mat-error>
            } @else if (form.controls.email.hasError('required')) {
              <mat-error>{{ i18n.t('form.required') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ i18n.t('auth.password') }}</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="current-password" required />
            @if (form.controls.password.hasError('required')) {
              <mat-error>{{ i18n.t('form.required') }}</mat-error>
            }
          </mat-form-field>
          <div class="actions">
            <button mat-flat-button type="submit" [disabled]="busy()">{{ i18n.t('auth.signIn') }}</button>
            <a routerLink="/forgot-password">{{ i18n.t('auth.forgotPassword') }}</a>
            <span
              >{{ i18n.t('auth.noAccount') }} <a routerLink="/register">{{ i18n.t('auth.register') }}</a></span
            >
          </div>
        </form>
      </main>
    </div>
  `,
})
export class LoginPage {
  protected readonly i18n = inject(I18n);
  private readonly session = inject(AuthSession);
  private readonly router = inject(Router);
  /** ?expired=1 when the interceptor ended the session. */
  readonly expired = input<string | undefined>(undefined);
  protected readonly showExpired = () => this.expired() === '1' && !this.problem();
  protected readonly busy = signal(false);
  protected readonly problem = signal<TranslationKey | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required]],
  });

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      const { email, password } = this.form.getRawValue();
      await this.session.signIn(email, password);
      await this.router.navigateByUrl('/inbox');
    } catch (error) {
      const problem = toApiProblem(error);
      this.problem.set(problem.code === 'RATE_LIMITED' ? 'auth.rateLimited' : problem.status === 401 ? 'auth.wrongPassword' : 'state.offline');
    } finally {
      this.busy.set(false);
    }
  }
}
