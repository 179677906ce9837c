import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { resolvePromptVariables } from '@app/domain/prompt-variables';
import { ApiClient } from '../../../core/api/api-client';
import type { AgentView, BusinessObjective } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { AuthSession } from '../../../core/auth/auth-session';
import { I18n } from '../../../core/i18n/i18n';
import { AgentTestsPanel, type AgentDraft } from '../components/agent-tests-panel';
import { knownTimeZone, maxWaitCoversBuffer } from '../data/agent-form-rules';

@Component({
  selector: 'app-agent-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, AgentTestsPanel],
  templateUrl: './agent-page.html',
  styleUrl: './agent-page.scss',
})
export class AgentPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly session = inject(AuthSession);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly agent = signal<AgentView | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected readonly busy = signal(false);
  private readonly now = signal(new Date());
  /** The last test run of unsaved settings, so saving them can say they fail. */
  private readonly lastDraftRun = signal<{ draft: AgentDraft; failed: number } | null>(null);
  protected readonly savedFailing = signal(0);
  protected readonly objectives: readonly BusinessObjective[] = ['SALES', 'APPOINTMENTS'];

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      systemPrompt: ['', [Validators.maxLength(20_000)]],
      model: ['', [Validators.required, Validators.maxLength(100)]],
      bufferSeconds: [0, [Validators.required, Validators.min(0), Validators.max(300)]],
      maxBufferSeconds: [0, [Validators.required, Validators.min(0), Validators.max(3600)]],
      timezone: ['UTC', [Validators.required, knownTimeZone]],
      objective: ['SALES' as BusinessObjective, [Validators.required]],
    },
    { validators: [maxWaitCoversBuffer] },
  );
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });

  /** The prompt as the model will see it, resolved in the browser while the operator types. */
  protected readonly preview = computed(() => {
    const value = { ...this.form.getRawValue(), ...this.value() };
    const timezone = knownTimeZone({ value: value.timezone } as never) ? 'UTC' : (value.timezone ?? 'UTC');
    return resolvePromptVariables(value.systemPrompt ?? '', {
      now: this.now(),
      timezone,
      businessName: this.session.account()?.business.name ?? '',
      contactName: null,
      locale: this.i18n.locale(),
    });
  });

  /** The prompt and model as typed, when they differ from the saved ones (what "run with unsaved changes" tries). */
  protected readonly draft = computed<AgentDraft | null>(() => {
    const saved = this.agent();
    const value = { ...this.form.getRawValue(), ...this.value() };
    const draft = { systemPrompt: value.systemPrompt ?? '', model: (value.model ?? '').trim() };
    if (!saved || draft.model === '' || (draft.systemPrompt === saved.systemPrompt && draft.model === saved.model)) return null;
    return draft;
  });

  constructor() {
    const clock = setInterval(() => this.now.set(new Date()), 30_000);
    inject(DestroyRef).onDestroy(() => clearInterval(clock));
  }

  async ngOnInit(): Promise<void> {
    try {
      this.show(await this.api.agent());
      this.state.set('ready');
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
      this.state.set('error');
    }
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.saved.set(false);
    this.savedFailing.set(0);
    this.problem.set(null);
    try {
      const value = this.form.getRawValue();
      const run = this.lastDraftRun();
      const failing = run && run.draft.systemPrompt === value.systemPrompt && run.draft.model === value.model.trim() ? run.failed : 0;
      this.show(
        await this.api.updateAgent({ ...value, bufferSeconds: Number(value.bufferSeconds), maxBufferSeconds: Number(value.maxBufferSeconds) }),
      );
      this.saved.set(true);
      this.savedFailing.set(failing);
      // The menu shows the objective's pages: tell the shell without a reload.
      const objective = this.agent()?.objective;
      if (objective) this.session.account.update((account) => (account ? { ...account, business: { ...account.business, objective } } : account));
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected objectiveLabel(objective: BusinessObjective) {
    return `objective.${objective}` as const;
  }

  protected testsRan(run: { draft: AgentDraft | null; failed: number }): void {
    if (run.draft) this.lastDraftRun.set({ draft: run.draft, failed: run.failed });
  }

  private show(agent: AgentView): void {
    this.agent.set(agent);
    this.form.reset({
      systemPrompt: agent.systemPrompt,
      model: agent.model,
      bufferSeconds: agent.bufferSeconds,
      maxBufferSeconds: agent.maxBufferSeconds,
      timezone: agent.timezone,
      objective: agent.objective,
    });
    this.i18n.timeZone.set(agent.timezone);
  }
}
