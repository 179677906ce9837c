import { ChangeDetectionStrategy, Component, type OnInit, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import { toApiProblem } from '../../../core/api/api-error';
import type { ContactFieldType, ContactFieldView, ContactListItem } from '../../../core/api/api-models';
import { AuthSession } from '../../../core/auth/auth-session';
import { I18n } from '../../../core/i18n/i18n';
import type { TranslationKey } from '../../../core/i18n/translations';
import { exportFileName } from '../data/contact-field-drafts';

/** The business's custom contact fields (defined by the owner) and its contacts, filterable by a field and exportable as CSV. */
@Component({
  selector: 'app-contacts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatButtonModule],
  templateUrl: './contacts-page.html',
  styleUrl: './contacts-page.scss',
})
export class ContactsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly session = inject(AuthSession);
  protected readonly types: ContactFieldType[] = ['TEXT', 'NUMBER', 'DATE', 'ENUM'];
  protected readonly typeLabels = {
    TEXT: 'contacts.type.TEXT',
    NUMBER: 'contacts.type.NUMBER',
    DATE: 'contacts.type.DATE',
    ENUM: 'contacts.type.ENUM',
  } as const satisfies Record<ContactFieldType, TranslationKey>;

  protected readonly fields = signal<ContactFieldView[]>([]);
  protected readonly fieldsState = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly fieldProblem = signal<string | null>(null);
  protected readonly busy = signal(false);
  /** The definition being edited in place (label, description, options; key and type never change). */
  protected readonly editing = signal<ContactFieldView | null>(null);
  protected readonly isOwner = computed(() => this.session.account()?.user.role !== 'AGENT');

  protected readonly contacts = signal<ContactListItem[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly listState = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly listProblem = signal<string | null>(null);
  protected readonly search = signal('');
  protected readonly filterKey = signal('');
  protected readonly filterValue = signal('');
  protected readonly filterField = computed(() => this.fields().find((field) => field.key === this.filterKey()) ?? null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    key: ['', [Validators.required, Validators.pattern(/^[a-z][a-z0-9_]{0,39}$/)]],
    label: ['', [Validators.required, Validators.maxLength(80)]],
    type: ['TEXT' as ContactFieldType, [Validators.required]],
    options: [''],
    description: ['', [Validators.maxLength(500)]],
  });
  private readonly typeValue = signal<ContactFieldType>('TEXT');

  protected readonly isEnum = computed(() => this.typeValue() === 'ENUM');

  constructor() {
    this.form.controls.type.valueChanges.subscribe((type) => this.typeValue.set(type));
  }

  async ngOnInit(): Promise<void> {
    await this.loadFields();
    await this.loadContacts();
  }

  private async loadFields(): Promise<void> {
    try {
      this.fields.set((await this.api.listContactFields()).items);
      this.fieldsState.set('ready');
    } catch (error) {
      this.fieldProblem.set(toApiProblem(error).message);
      this.fieldsState.set('error');
    }
  }

  protected async addField(): Promise<void> {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    this.busy.set(true);
    this.fieldProblem.set(null);
    try {
      const created = await this.api.createContactField({
        key: value.key,
        label: value.label,
        type: value.type,
        description: value.description,
        ...(value.type === 'ENUM' ? { options: value.options.split(',') } : {}),
      });
      this.fields.update((fields) => [...fields, created]);
      this.form.reset({ key: '', label: '', type: 'TEXT', options: '', description: '' });
    } catch (error) {
      this.fieldProblem.set(describeProblem(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async saveEdit(event: Event, field: ContactFieldView): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '');
    this.busy.set(true);
    this.fieldProblem.set(null);
    try {
      const updated = await this.api.updateContactField(field.id, {
        label: text('label'),
        description: text('description'),
        ...(field.type === 'ENUM' ? { options: text('options').split(',') } : {}),
      });
      this.fields.update((fields) => fields.map((other) => (other.id === updated.id ? updated : other)));
      this.editing.set(null);
      await this.loadContacts();
    } catch (error) {
      this.fieldProblem.set(describeProblem(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async deleteField(field: ContactFieldView): Promise<void> {
    if (!confirm(this.i18n.t('contacts.confirmDelete', { label: field.label }))) return;
    try {
      await this.api.deleteContactField(field.id);
      this.fields.update((fields) => fields.filter((other) => other.id !== field.id));
      if (this.filterKey() === field.key) this.filterKey.set('');
      await this.loadContacts();
    } catch (error) {
      this.fieldProblem.set(toApiProblem(error).message);
    }
  }

  private query() {
    const key = this.filterKey();
    const value = this.filterValue().trim();
    return { q: this.search().trim() || null, filters: key && value ? { [key]: value } : {} };
  }

  protected async loadContacts(more = false): Promise<void> {
    if (!more) this.listState.set('loading');
    this.listProblem.set(null);
    try {
      const page = await this.api.listContacts({ ...this.query(), cursor: more ? this.nextCursor() : null });
      this.contacts.update((contacts) => (more ? [...contacts, ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
      this.listState.set('ready');
    } catch (error) {
      this.listProblem.set(describeProblem(error));
      this.listState.set('ready');
    }
  }

  protected applyFilter(event: Event): void {
    event.preventDefault();
    void this.loadContacts();
  }

  protected onInput(target: 'search' | 'filterKey' | 'filterValue', event: Event): void {
    this[target].set((event.target as HTMLInputElement | HTMLSelectElement).value);
    if (target === 'filterKey') this.filterValue.set('');
  }

  protected async exportCsv(): Promise<void> {
    try {
      const blob = await this.api.exportContacts(this.query());
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = exportFileName(new Date());
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.listProblem.set(toApiProblem(error).message);
    }
  }

  protected typeText(field: ContactFieldView): string {
    const type = this.i18n.t(this.typeLabels[field.type]);
    return field.options.length > 0 ? `${type}: ${field.options.join(', ')}` : type;
  }

  protected cell(contact: ContactListItem, key: string): string {
    const value = contact.fields[key];
    return value === undefined ? '' : String(value);
  }
}

/** The API's message with each validation problem after it ("The request body is invalid. must be one of: S, M"). */
function describeProblem(error: unknown): string {
  const problem = toApiProblem(error);
  const details = Array.isArray(problem.details) ? (problem.details as Array<{ message?: unknown }>) : [];
  return [problem.message, ...details.map((detail) => (typeof detail.message === 'string' ? detail.message : ''))].filter(Boolean).join(' ');
}
