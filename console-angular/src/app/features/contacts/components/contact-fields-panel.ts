import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import { type ApiProblem, toApiProblem } from '../../../core/api/api-error';
import type { ContactFieldValueView } from '../../../core/api/api-models';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { changedValues, draftOf, problemsByField } from '../data/contact-field-drafts';

/** A contact's custom fields with typed inputs (the inbox's contact panel); the API validates and stores them. */
@Component({
  selector: 'app-contact-fields-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <section class="contact-fields" data-testid="contact-fields" [attr.aria-label]="i18n.t('contactPanel.title')">
      @switch (state()) {
        @case ('loading') {
          <p role="status">{{ i18n.t('state.loading') }}</p>
        }
        @case ('error') {
          <p class="error-text" role="alert">{{ i18n.t('state.error', { message: problem()?.message ?? '' }) }}</p>
        }
        @default {
          @if (items().length === 0) {
            <p class="muted">{{ i18n.t('contactPanel.none') }}</p>
          } @else {
            <form (submit)="save($event)">
              @for (item of items(); track item.key) {
                <div class="field">
                  <label [for]="'contact-field-' + item.key">{{ item.label }}</label>
                  @switch (item.type) {
                    @case ('ENUM') {
                      <select [id]="'contact-field-' + item.key" [attr.data-testid]="'contact-field-' + item.key" (change)="edit(item.key, $event)">
                        <option value="" [selected]="drafts()[item.key] === ''">—</option>
                        @for (option of item.options; track option) {
                          <option [value]="option" [selected]="drafts()[item.key] === option">{{ option }}</option>
                        }
                      </select>
                    }
                    @case ('DATE') {
                      <input
                        type="date"
                        [id]="'contact-field-' + item.key"
                        [attr.data-testid]="'contact-field-' + item.key"
                        [value]="drafts()[item.key]"
                        (input)="edit(item.key, $event)"
                      />
                    }
                    @case ('NUMBER') {
                      <input
                        type="text"
                        inputmode="decimal"
                        [id]="'contact-field-' + item.key"
                        [attr.data-testid]="'contact-field-' + item.key"
                        [value]="drafts()[item.key]"
                        (input)="edit(item.key, $event)"
                      />
                    }
                    @default {
                      <input
                        type="text"
                        maxlength="500"
                        [id]="'contact-field-' + item.key"
                        [attr.data-testid]="'contact-field-' + item.key"
                        [value]="drafts()[item.key]"
                        (input)="edit(item.key, $event)"
                      />
                    }
                  }
                  @if (fieldProblems()[item.key]; as message) {
                    <span class="error-text" role="alert">{{ message }}</span>
                  } @else if (item.setBy) {
                    <span class="muted">{{ i18n.t(item.setBy === 'AI' ? 'contactPanel.setByAi' : 'contactPanel.setByOperator') }}</span>
                  }
                </div>
              }
              <div class="actions">
                <button mat-flat-button type="submit" [disabled]="busy() || !dirty()" data-testid="contact-fields-save">
                  {{ i18n.t('form.save') }}
                </button>
                @if (saved()) {
                  <span role="status" data-testid="contact-fields-saved">{{ i18n.t('form.saved') }}</span>
                }
                @if (generalProblem(); as message) {
                  <span class="error-text" role="alert">{{ message }}</span>
                }
              </div>
            </form>
          }
        }
      }
    </section>
  `,
  styles: `
    .contact-fields {
      padding: 8px 12px 12px;
      border-bottom: 1px solid var(--console-line);
      background: #fafbfc;
      max-height: 45vh;
      overflow: auto;
    }
    form {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 8px 12px;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 0.85rem;
    }
    label {
      font-weight: 500;
    }
    input,
    select {
      font: inherit;
      padding: 6px 8px;
      border: 1px solid var(--console-line);
      border-radius: 6px;
      background: #fff;
    }
    .muted,
    .error-text {
      font-size: 0.75rem;
    }
    .actions {
      grid-column: 1 / -1;
      display: flex;
      align-items: center;
      gap: 12px;
    }
  `,
})
export class ContactFieldsPanel {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  readonly contactId = input.required<string>();
  protected readonly state = signal<'loading' | 'ready' | 'error'>('loading');
  protected readonly items = signal<ContactFieldValueView[]>([]);
  protected readonly drafts = signal<Record<string, string>>({});
  protected readonly problem = signal<ApiProblem | null>(null);
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly fieldProblems = computed(() => problemsByField(this.problem()));
  /** A failure that names no field (network, a deleted contact) is shown once, beside the button. */
  protected readonly generalProblem = computed(() => {
    const problem = this.problem();
    return problem && Object.keys(this.fieldProblems()).length === 0 ? problem.message : null;
  });
  protected readonly dirty = computed(() => Object.keys(changedValues(this.items(), this.drafts())).length > 0);

  constructor() {
    effect(() => {
      const contactId = this.contactId();
      untracked(() => void this.load(contactId));
    });
    // The agent (or another operator) saved a value: show it, unless this operator is typing (their save wins).
    const subscription = inject(LiveUpdates).events.subscribe((event) => {
      const mine = event.type === 'contact.fields-changed' && event.contactId === this.contactId();
      if ((mine || event.type === 'resync') && !this.dirty() && !this.busy()) void this.load(this.contactId(), { quiet: true });
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  /** `quiet`: a refresh of what is shown (live update) keeps the form on screen instead of a loading line. */
  private async load(contactId: string, options: { quiet?: boolean } = {}): Promise<void> {
    if (!options.quiet) {
      this.state.set('loading');
      this.saved.set(false);
      this.problem.set(null);
    }
    try {
      const { items } = await this.api.contactFieldValues(contactId);
      if (contactId !== this.contactId()) return; // another contact was opened meanwhile
      this.show(items);
      this.state.set('ready');
    } catch (error) {
      if (options.quiet) return; // the values on screen stay; the next event or opening tries again
      this.problem.set(toApiProblem(error));
      this.state.set('error');
    }
  }

  private show(items: ContactFieldValueView[]): void {
    this.items.set(items);
    this.drafts.set(Object.fromEntries(items.map((item) => [item.key, draftOf(item)])));
  }

  protected edit(key: string, event: Event): void {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    this.drafts.update((drafts) => ({ ...drafts, [key]: value }));
    this.saved.set(false);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    const values = changedValues(this.items(), this.drafts());
    if (Object.keys(values).length === 0) return;
    const contactId = this.contactId();
    this.busy.set(true);
    this.problem.set(null);
    try {
      const { items } = await this.api.updateContactFieldValues(contactId, { values });
      if (contactId !== this.contactId()) return;
      this.show(items);
      this.saved.set(true);
    } catch (error) {
      this.problem.set(toApiProblem(error));
    } finally {
      this.busy.set(false);
    }
  }
}
