import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { ApiClient } from '../../../core/api/api-client';
import type { CreateInstanceRequest, InstanceView } from '../../../core/api/api-models';
import { toApiProblem, type ApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';

const numericId = /^\d{5,32}$/;

/** Connects a WhatsApp number: a sandbox or WhatsApp Web (name only), or the Cloud API (ids and token, with help under each field). */
@Component({
  selector: 'app-instance-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatRadioModule],
  templateUrl: './instance-form.html',
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }
    mat-radio-group {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 12px;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0;
    }
    legend {
      font-weight: 600;
      margin-bottom: 4px;
    }
  `,
})
export class InstanceForm {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly created = output<InstanceView>();
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    provider: ['SANDBOX' as CreateInstanceRequest['provider']],
    name: ['', [Validators.required, Validators.maxLength(80)]],
    phoneNumberId: ['', [Validators.pattern(numericId)]],
    wabaId: ['', [Validators.pattern(numericId)]],
    accessToken: ['', [Validators.minLength(20), Validators.maxLength(1024)]],
  });

  protected isMeta(): boolean {
    return this.form.controls.provider.value === 'META';
  }

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    const value = this.form.getRawValue();
    const metaMissing = value.provider === 'META' && (!value.phoneNumberId || !value.accessToken);
    if (this.form.invalid || metaMissing) {
      if (!value.phoneNumberId && value.provider === 'META') this.form.controls.phoneNumberId.setErrors({ required: true });
      if (!value.accessToken && value.provider === 'META') this.form.controls.accessToken.setErrors({ required: true });
      return;
    }
    const body: CreateInstanceRequest =
      value.provider === 'META'
        ? {
            provider: 'META',
            name: value.name.trim(),
            phoneNumberId: value.phoneNumberId,
            accessToken: value.accessToken,
            ...(value.wabaId ? { wabaId: value.wabaId } : {}),
          }
        : { provider: value.provider === 'BAILEYS' ? 'BAILEYS' : 'SANDBOX', name: value.name.trim() };
    this.busy.set(true);
    this.problem.set(null);
    try {
      const instance = await this.api.createInstance(body);
      this.form.reset({ provider: value.provider, name: '', phoneNumberId: '', wabaId: '', accessToken: '' });
      this.created.emit(instance);
    } catch (error) {
      this.problem.set(this.messageOf(toApiProblem(error)));
    } finally {
      this.busy.set(false);
    }
  }

  /** A refused limit in the console's language, with its value from the details; other problems as the API words them. */
  private messageOf(problem: ApiProblem): string {
    if (problem.code === 'EMAIL_NOT_VERIFIED') return this.i18n.t('auth.unverified');
    const details = problem.details as { quota?: unknown; limit?: unknown; current?: unknown } | null;
    const limitRefused = problem.code === 'INSTANCE_LIMIT_REACHED' || problem.code === 'PLATFORM_CAPACITY_REACHED';
    if (limitRefused && details && isQuota(details.quota) && typeof details.limit === 'number' && typeof details.current === 'number') {
      return this.i18n.t(`instances.limit.${details.quota}`, { limit: details.limit, current: details.current });
    }
    return problem.message;
  }
}

const quotas = ['instancesPerBusiness', 'whatsappWebInstancesPerBusiness', 'whatsappWebSessions'] as const;

function isQuota(value: unknown): value is (typeof quotas)[number] {
  return quotas.includes(value as (typeof quotas)[number]);
}
