import { ChangeDetectionStrategy, Component, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import type { ProductView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { money } from '../data/order-list';
import { importErrors, productBody, productFormValue, type ProductFormValue } from '../data/product-form';

const emptyForm: ProductFormValue = { name: '', description: '', price: '', currency: 'EUR', sku: '', stock: '', category: '', active: true };

/** The catalogue: search (typo-tolerant, the agent's own), add and edit, delete, CSV import with per-line errors and export. */
@Component({
  selector: 'app-products-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule],
  template: `
    <section class="page">
      <h1>{{ i18n.t('products.title') }}</h1>
      <div class="toolbar">
        <input
          type="search"
          [placeholder]="i18n.t('products.search')"
          [ngModel]="query()"
          (ngModelChange)="search($event)"
          data-testid="product-search"
        />
        <button mat-flat-button type="button" (click)="edit(null)" data-testid="add-product">{{ i18n.t('products.add') }}</button>
        <label class="file">
          <span>{{ i18n.t('products.import') }}</span>
          <input type="file" accept=".csv,text/csv" (change)="importFile($event)" data-testid="import-csv" />
        </label>
        <button mat-button type="button" (click)="exportCsv()" data-testid="export-csv">{{ i18n.t('products.export') }}</button>
      </div>
      @if (problem(); as message) {
        <p class="notice error" role="alert">{{ message }}</p>
      }
      @if (imported(); as message) {
        <p class="notice success" role="status">{{ message }}</p>
      }
      @if (lineErrors().length > 0) {
        <div class="notice error" role="alert" data-testid="import-errors">
          <p>{{ i18n.t('products.importFailed') }}</p>
          <ul>
            @for (error of lineErrors(); track error.line) {
              <li>{{ i18n.t('products.line', { line: error.line, reason: error.reason }) }}</li>
            }
          </ul>
        </div>
      }
      @if (editing() !== undefined) {
        <form class="card editor" (ngSubmit)="save()" data-testid="product-form">
          <label>{{ i18n.t('products.name') }} <input name="name" required maxlength="200" [(ngModel)]="form.name" /></label>
          <label>{{ i18n.t('products.price') }} <input name="price" required inputmode="decimal" [(ngModel)]="form.price" /></label>
          <label>{{ i18n.t('products.currency') }} <input name="currency" required maxlength="3" [(ngModel)]="form.currency" /></label>
          <label>{{ i18n.t('products.sku') }} <input name="sku" maxlength="64" [(ngModel)]="form.sku" /></label>
          <label
            >{{ i18n.t('products.stock') }} <input name="stock" type="number" min="0" [(ngModel)]="form.stock" /><small class="muted">{{
              i18n.t('products.stockHint')
            }}</small></label
          >
          <label>{{ i18n.t('products.category') }} <input name="category" maxlength="100" [(ngModel)]="form.category" /></label>
          <label class="wide"
            >{{ i18n.t('products.description') }} <textarea name="description" rows="3" [(ngModel)]="form.description"></textarea>
          </label>
          <label class="check"><input type="checkbox" name="active" [(ngModel)]="form.active" /> {{ i18n.t('products.active') }}</label>
          <div class="wide">
            <button mat-flat-button type="submit" [disabled]="busy()">{{ i18n.t('form.save') }}</button>
            <button mat-button type="button" (click)="editing.set(undefined)">{{ i18n.t('form.cancel') }}</button>
          </div>
        </form>
      }
      @if (products().length === 0 && !busy()) {
        <p class="muted">{{ i18n.t('products.empty') }}</p>
      } @else {
        <table class="card">
          <thead>
            <tr>
              <th>{{ i18n.t('products.name') }}</th>
              <th>{{ i18n.t('products.sku') }}</th>
              <th>{{ i18n.t('products.category') }}</th>
              <th>{{ i18n.t('products.price') }}</th>
              <th>{{ i18n.t('products.stock') }}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            @for (product of products(); track product.id) {
              <tr data-testid="product-row" [class.inactive]="!product.active">
                <td>
                  {{ product.name }}
                  @if (!product.active) {
                    <small class="muted">({{ i18n.t('products.inactive') }})</small>
                  }
                </td>
                <td>{{ product.sku ?? '' }}</td>
                <td>{{ product.category ?? '' }}</td>
                <td>{{ price(product) }}</td>
                <td>{{ product.stock ?? '—' }}</td>
                <td class="row-actions">
                  <button mat-button type="button" (click)="edit(product)">{{ i18n.t('products.edit') }}</button>
                  <button mat-button type="button" (click)="remove(product)">{{ i18n.t('products.delete') }}</button>
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
    </section>
  `,
  styles: `
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: center;
      margin-bottom: 12px;
    }
    .toolbar input[type='search'] {
      min-width: 240px;
      padding: 6px 8px;
    }
    .file input {
      position: absolute;
      width: 1px;
      height: 1px;
      opacity: 0;
    }
    .file span {
      cursor: pointer;
      padding: 6px 12px;
      font-size: 0.875rem;
      font-weight: 500;
      color: var(--mat-sys-primary, #00577f);
    }
    .file:focus-within span {
      outline: 2px solid currentColor;
    }
    .editor {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 8px;
      margin-bottom: 12px;
    }
    .editor label {
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 0.85rem;
    }
    .editor .check {
      flex-direction: row;
      align-items: center;
    }
    .editor .wide {
      grid-column: 1 / -1;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 4px 8px;
    }
    tr.inactive td {
      color: var(--console-muted);
    }
    .row-actions {
      white-space: nowrap;
    }
  `,
})
export class ProductsPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly products = signal<ProductView[]>([]);
  protected readonly query = signal('');
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected readonly imported = signal<string | null>(null);
  protected readonly lineErrors = signal<Array<{ line: number; reason: string }>>([]);
  /** undefined: no form; null: a new product; otherwise the product being edited. */
  protected readonly editing = signal<ProductView | null | undefined>(undefined);
  protected form: ProductFormValue = { ...emptyForm };
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  ngOnInit(): Promise<void> {
    return this.load();
  }

  protected async load(): Promise<void> {
    this.busy.set(true);
    try {
      const query = this.query().trim();
      this.products.set((await this.api.listProducts(query ? { q: query, limit: 50 } : { limit: 200 })).items);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected search(query: string): void {
    this.query.set(query);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), 250);
  }

  protected price(product: ProductView): string {
    return money(product.priceMinor, product.currency, this.i18n.locale());
  }

  protected edit(product: ProductView | null): void {
    this.form = product ? productFormValue(product) : { ...emptyForm };
    this.editing.set(product);
  }

  protected async save(): Promise<void> {
    const body = productBody(this.form);
    if (!body || body.name === '') {
      this.problem.set(this.i18n.t(body ? 'form.required' : 'products.invalidPrice'));
      return;
    }
    this.busy.set(true);
    this.problem.set(null);
    try {
      const editing = this.editing();
      if (editing) await this.api.updateProduct(editing.id, body);
      else await this.api.createProduct(body);
      this.editing.set(undefined);
      await this.load();
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async remove(product: ProductView): Promise<void> {
    this.problem.set(null);
    try {
      await this.api.deleteProduct(product.id);
      await this.load();
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }

  protected async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.problem.set(null);
    this.imported.set(null);
    this.lineErrors.set([]);
    try {
      const result = await this.api.importProducts(await file.text());
      this.imported.set(this.i18n.t('products.imported', { created: result.created, updated: result.updated }));
      await this.load();
    } catch (error) {
      const problem = toApiProblem(error);
      const lines = importErrors(problem.details);
      if (lines.length > 0) this.lineErrors.set(lines);
      else this.problem.set(problem.message);
    }
  }

  protected async exportCsv(): Promise<void> {
    try {
      const url = URL.createObjectURL(await this.api.exportProducts());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'products.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1_000);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    }
  }
}
