import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ApiClient } from '../../../core/api/api-client';
import type { AgentTestCaseView, AgentTestRunView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';
import {
  expectationTypes,
  isToolExpectation,
  newStep,
  toCaseDraft,
  toCaseRequest,
  type CaseDraft,
  type ExpectationType,
} from '../data/agent-test-editor';

const typeLabels: Record<ExpectationType, TranslationKey> = {
  calls_tool: 'agentTests.callsTool',
  does_not_call_tool: 'agentTests.doesNotCallTool',
  mentions: 'agentTests.mentions',
  does_not_mention: 'agentTests.doesNotMention',
};

/** The agent settings a run tries instead of the saved ones. */
export interface AgentDraft {
  systemPrompt: string;
  model: string;
}

/**
 * The agent's test suite: scripted conversations with expectations, written here and run in the sandbox against
 * the saved settings or the form's unsaved draft. Tells the page how the last draft run went, so saving a draft
 * that fails can warn.
 */
@Component({
  selector: 'app-agent-tests-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './agent-tests-panel.html',
  styleUrl: './agent-tests-panel.scss',
})
export class AgentTestsPanel implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);

  /** The form's values when they differ from the saved settings; null when there is nothing unsaved. */
  readonly draft = input<AgentDraft | null>(null);
  readonly aiEnabled = input(true);
  /** After each run: whether it ran the draft, and how many cases failed. */
  readonly ran = output<{ draft: AgentDraft | null; failed: number }>();

  protected readonly cases = signal<AgentTestCaseView[]>([]);
  protected readonly editing = signal<CaseDraft | null>(null);
  protected readonly result = signal<AgentTestRunView | null>(null);
  protected readonly resultOfDraft = signal(false);
  protected readonly busy = signal<'saving' | 'running' | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly expectationTypes = expectationTypes;
  protected readonly isToolExpectation = isToolExpectation;
  protected readonly canRun = computed(() => this.aiEnabled() && this.cases().length > 0 && this.busy() === null);

  protected typeLabel(type: ExpectationType): TranslationKey {
    return typeLabels[type];
  }

  async ngOnInit(): Promise<void> {
    await this.attempt(async () => this.cases.set((await this.api.listAgentTests()).items));
  }

  protected create(): void {
    this.editing.set(toCaseDraft());
  }

  protected edit(view: AgentTestCaseView): void {
    this.editing.set(toCaseDraft(view));
  }

  protected cancel(): void {
    this.editing.set(null);
    this.problem.set(null);
  }

  /** The editor works on its own copy; every change goes through here so the view sees a new object. */
  protected change(mutate: (draft: CaseDraft) => void): void {
    const current = this.editing();
    if (!current) return;
    const copy = structuredClone(current);
    mutate(copy);
    this.editing.set(copy);
  }

  protected setName(value: string): void {
    this.change((draft) => (draft.name = value));
  }

  protected setCustomer(step: number, value: string): void {
    this.change((draft) => (draft.steps[step]!.customer = value));
  }

  protected setExpectation(step: number, index: number, patch: { type?: ExpectationType; value?: string }): void {
    this.change((draft) => Object.assign(draft.steps[step]!.expect[index]!, patch));
  }

  protected addExpectation(step: number): void {
    this.change((draft) => draft.steps[step]!.expect.push({ type: 'mentions', value: '' }));
  }

  protected removeExpectation(step: number, index: number): void {
    this.change((draft) => draft.steps[step]!.expect.splice(index, 1));
  }

  protected addStep(): void {
    this.change((draft) => draft.steps.push(newStep()));
  }

  protected removeStep(step: number): void {
    this.change((draft) => draft.steps.splice(step, 1));
  }

  protected async save(): Promise<void> {
    const draft = this.editing();
    if (!draft) return;
    this.busy.set('saving');
    await this.attempt(async () => {
      const body = toCaseRequest(draft);
      const stored = draft.id ? await this.api.updateAgentTest(draft.id, body) : await this.api.createAgentTest(body);
      this.cases.update((cases) => (draft.id ? cases.map((entry) => (entry.id === stored.id ? stored : entry)) : [...cases, stored]));
      this.editing.set(null);
    });
    this.busy.set(null);
  }

  protected async remove(view: AgentTestCaseView): Promise<void> {
    await this.attempt(async () => {
      await this.api.deleteAgentTest(view.id);
      this.cases.update((cases) => cases.filter((entry) => entry.id !== view.id));
    });
  }

  protected async run(withDraft: boolean): Promise<void> {
    const draft = withDraft ? this.draft() : null;
    this.busy.set('running');
    this.result.set(null);
    await this.attempt(async () => {
      const result = await this.api.runAgentTests(draft ? { draft } : {});
      this.result.set(result);
      this.resultOfDraft.set(draft !== null);
      this.ran.emit({ draft, failed: result.failed });
    });
    this.busy.set(null);
  }

  private async attempt(work: () => Promise<void>): Promise<void> {
    this.problem.set(null);
    try {
      await work();
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }
}
