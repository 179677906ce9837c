import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ApiClient } from '../../../core/api/api-client';
import type { HttpToolTestResult, HttpToolView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { formValueOf, jsonObject, missingVariables, parseJsonObject, problemLines, toolRequest } from '../data/http-tool-form';

/** The business's HTTP tools: a list, an editor (new or selected tool) and, for a saved tool, its test panel. */
@Component({
  selector: 'app-tools-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSlideToggleModule],
  templateUrl: './tools-page.html',
  styleUrl: './tools-page.scss',
})
export class ToolsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly formBuilder = inject(NonNullableFormBuilder);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly tools = signal<HttpToolView[]>([]);
  /** The tool in the editor; null: a new one. */
  protected readonly selected = signal<HttpToolView | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly notice = signal<string | null>(null);
  protected readonly busy = signal(false);

  protected readonly form = this.formBuilder.group({
    name: ['', [Validators.required, Validators.pattern(/^[a-zA-Z0-9_-]{1,64}$/)]],
    description: ['', [Validators.required, Validators.maxLength(1024)]],
    url: ['https://', [Validators.required, Validators.pattern(/^https?:\/\/.+/)]],
    parameters: ['', [jsonObject(false)]],
    bodyTemplate: ['', [Validators.maxLength(16_384)]],
    timeoutMs: [10_000, [Validators.required, Validators.min(1_000), Validators.max(30_000)]],
    active: [true],
    headers: this.formBuilder.array<ReturnType<ToolsPage['headerRow']>>([]),
  });

  protected readonly testForm = this.formBuilder.group({
    arguments: ['{}', [jsonObject(true)]],
    phone: ['+34600111222'],
    contactName: ['Ana'],
  });
  protected readonly testing = signal(false);
  protected readonly testResult = signal<HttpToolTestResult | null>(null);
  protected readonly testMissing = signal<string[] | null>(null);
  protected readonly testProblem = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      this.tools.set((await this.api.listHttpTools()).items);
      this.state.set('ready');
      this.edit(null);
    } catch (error) {
      this.problems.set([toApiProblem(error).message]);
      this.state.set('error');
    }
  }

  protected edit(tool: HttpToolView | null): void {
    this.selected.set(tool);
    this.problems.set([]);
    this.testResult.set(null);
    this.testMissing.set(null);
    this.testProblem.set(null);
    const value = formValueOf(tool);
    this.form.controls.headers.clear();
    for (const header of value.headers) this.form.controls.headers.push(this.headerRow(header));
    this.form.reset({ ...value, headers: value.headers });
  }

  protected headerRow(header = { name: '', value: '', stored: false }) {
    return this.formBuilder.group({
      name: [header.name, [Validators.required, Validators.pattern(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/)]],
      value: [header.value, header.stored ? [] : [Validators.required]],
      stored: [header.stored],
    });
  }

  protected addHeader(): void {
    this.form.controls.headers.push(this.headerRow());
  }

  protected removeHeader(index: number): void {
    this.form.controls.headers.removeAt(index);
  }

  protected async save(): Promise<void> {
    this.form.markAllAsTouched();
    this.notice.set(null);
    if (this.form.invalid) return;
    this.busy.set(true);
    this.problems.set([]);
    const body = toolRequest(this.form.getRawValue());
    const current = this.selected();
    try {
      const saved = current ? await this.api.updateHttpTool(current.id, body) : await this.api.createHttpTool(body);
      this.tools.update((list) => [...list.filter((tool) => tool.id !== saved.id), saved].sort((left, right) => left.name.localeCompare(right.name)));
      this.edit(saved);
      this.notice.set(this.i18n.t('form.saved'));
    } catch (error) {
      this.problems.set(problemLines(toApiProblem(error)));
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const current = this.selected();
    if (!current) return;
    this.busy.set(true);
    try {
      await this.api.deleteHttpTool(current.id);
      this.tools.update((list) => list.filter((tool) => tool.id !== current.id));
      this.edit(null);
      this.notice.set(this.i18n.t('tools.deleted', { name: current.name }));
    } catch (error) {
      this.problems.set(problemLines(toApiProblem(error)));
    } finally {
      this.busy.set(false);
    }
  }

  protected async runTest(): Promise<void> {
    const current = this.selected();
    this.testForm.markAllAsTouched();
    if (!current || this.testForm.invalid) return;
    const value = this.testForm.getRawValue();
    this.testing.set(true);
    this.testResult.set(null);
    this.testMissing.set(null);
    this.testProblem.set(null);
    try {
      const contact = {
        ...(value.phone.trim() ? { phone: value.phone.trim() } : {}),
        ...(value.contactName.trim() ? { name: value.contactName.trim() } : {}),
      };
      this.testResult.set(await this.api.testHttpTool(current.id, { arguments: parseJsonObject(value.arguments, {}) ?? {}, contact }));
    } catch (error) {
      const problem = toApiProblem(error);
      const missing = missingVariables(problem);
      if (missing) this.testMissing.set(missing);
      else this.testProblem.set(problemLines(problem).join('\n'));
    } finally {
      this.testing.set(false);
    }
  }

  protected pretty(value: unknown): string {
    if (typeof value !== 'string') return JSON.stringify(value, null, 2);
    const parsed = parseJsonObject(value);
    return parsed ? JSON.stringify(parsed, null, 2) : value;
  }

  protected headerLines(headers: Record<string, string>): string {
    return Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n');
  }
}
