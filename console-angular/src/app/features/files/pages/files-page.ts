import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ApiClient } from '../../../core/api/api-client';
import type { AgentFileView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { Icon } from '../../../shared/ui/icon';
import { fileSize, parseKeywords } from '../data/file-form';

/** The files library: what the agent can send (its send_file tool, or [[file:<title>]] in a reply). */
@Component({
  selector: 'app-files-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSlideToggleModule, Icon],
  templateUrl: './files-page.html',
  styleUrl: './files-page.scss',
})
export class FilesPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly files = signal<AgentFileView[]>([]);
  protected readonly problem = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly uploading = signal(false);
  protected readonly dragging = signal(false);
  /** The file whose metadata is being edited. */
  protected readonly editing = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly size = fileSize;

  protected readonly form = inject(NonNullableFormBuilder).group({
    title: ['', [Validators.required, Validators.maxLength(120), Validators.pattern(/^[^[\]\r\n]*$/)]],
    keywords: ['', [Validators.maxLength(2000)]],
    context: ['', [Validators.maxLength(1000)]],
    order: [0, [Validators.required, Validators.min(0), Validators.max(10_000)]],
    active: [true],
  });

  async ngOnInit(): Promise<void> {
    try {
      await this.reload();
      this.state.set('ready');
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
      this.state.set('error');
    }
  }

  protected picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    void this.upload(input.files).finally(() => (input.value = ''));
  }

  protected dragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected dropped(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    void this.upload(event.dataTransfer?.files ?? null);
  }

  protected edit(file: AgentFileView): void {
    this.editing.set(file.id);
    this.problem.set(null);
    this.form.reset({
      title: file.title,
      keywords: file.triggerKeywords.join(', '),
      context: file.triggerContext,
      order: file.order,
      active: file.active,
    });
  }

  protected async save(file: AgentFileView): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    await this.run(async () => {
      const updated = await this.api.updateFile(file.id, {
        title: value.title.trim(),
        triggerKeywords: parseKeywords(value.keywords),
        triggerContext: value.context.trim(),
        order: Number(value.order),
        active: value.active,
      });
      this.files.update((files) => files.map((candidate) => (candidate.id === updated.id ? updated : candidate)));
      this.editing.set(null);
      this.notice.set(this.i18n.t('form.saved'));
    });
  }

  protected async remove(file: AgentFileView): Promise<void> {
    await this.run(async () => {
      await this.api.deleteFile(file.id);
      this.files.update((files) => files.filter((candidate) => candidate.id !== file.id));
      this.notice.set(this.i18n.t('files.deleted', { title: file.title }));
    });
  }

  private async upload(list: FileList | null): Promise<void> {
    const chosen = Array.from(list ?? []);
    if (chosen.length === 0) return;
    this.uploading.set(true);
    try {
      await this.run(async () => {
        for (const file of chosen) {
          const form = new FormData();
          form.append('file', file, file.name);
          await this.api.uploadFile(form);
        }
        await this.reload();
        this.notice.set(this.i18n.t('files.uploaded', { count: String(chosen.length) }));
      });
    } finally {
      this.uploading.set(false);
    }
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      await action();
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  private async reload(): Promise<void> {
    this.files.set((await this.api.listFiles()).files);
  }
}
