import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { AuthLanguageSwitch } from './auth-language-switch';

@Component({
  selector: 'app-register-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, AuthLanguageSwitch],
  template: `
    <div class="auth-screen">
      <main class="auth-card card">
        <app-auth-language-switch />
        <h1>{{ i18n.t('auth.registerTitle') }}</h1>
        @if (problem(); as message) {
          <p class="notice error" role="alert">{{ message }}</p>
        }
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ i18n.t('auth.businessName') }}</mat-label>
            <input matInput formControlName="businessName" autocomplete="organization" required />
            @if (form.controls.businessName.hasError('required')) {
              <mat-error>{{ i18n.t('form.required') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ i18n.t('auth.email') }}</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="email" required />
            @if (form.controls.email.hasError('email')) {
              <mat-error>{{ i18n.t('form.invalidEmail') }}</mat-error>
            } @else if (form.controls.email.hasError('required')) {
              <mat-error>{{ i18n.t('form.required') }}</mat-error>
            }
          </mat-form-field>
          <mat-form-field appearance="outline" subscriptSizing="dynamic">
            <mat-label>{{ i18n.t('auth.password') }}</mat-label>
            <input matInput type="password" formControlName="password" autocomplete="new-password" required />
            <mat-hint>{{ i18n.t('auth.passwordHint') }}</mat-hint>
            @if (form.controls.password.hasError('minlength')) {
              <mat-error>{{ i18n.t('auth.passwordHint') }}</mat-error>
            } @else if (form.controls.password.hasError('required')) {
              <mat-error>{{ i18n.t('form.required') }}</mat-error>
            }
          </mat-form-field>
          <div class="actions">
            <button mat-flat-button type="submit" [disabled]="busy()">{{ i18n.t('auth.register') }}</button>
            <span
              >{{ i18n.t('auth.haveAccount') }} <a routerLink="/login">{{ i18n.t('auth.signIn') }}</a></span
            >
          </div>
        </form>
      </main>
    </div>
  `,
})
export class RegisterPage {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    businessName: ['', [Validators.required, Validators.maxLength(120)]],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.minLength(8)]],
  });

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.problem.set(null);
    try {
      const value = this.form.getRawValue();
      await this.api.register({ ...value, businessName: value.businessName.trim() });
      await this.router.navigate(['/check-email'], { queryParams: { email: value.email } });
    } catch (error) {
      const problem = toApiProblem(error);
      this.problem.set(
        problem.code === 'CONFLICT' ? this.i18n.t('auth.emailTaken') : problem.status === 0 ? this.i18n.t('state.offline') : problem.message,
      );
    } finally {
      this.busy.set(false);
    }
  }
}
