import { ChangeDetectionStrategy, Component, DestroyRef, type OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { ApiClient } from '../../../core/api/api-client';
import type { OrderStatus, OrderView } from '../../../core/api/api-models';
import { toApiProblem } from '../../../core/api/api-error';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { StoredMedia } from '../../inbox/components/stored-media';
import { canCancel, money, orderQuery, quickAction, upsertOrder, type OrderFilter } from '../data/order-list';

const statuses: readonly OrderStatus[] = ['PENDING', 'AWAITING_VOUCHER', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

/**
 * Orders, newest first, filtered by status and day. A row opens (accordion) to its items, customer, voucher image,
 * timeline and actions: the next fulfilment step in one click, the delivery agent, the voucher's confirm/reject.
 * Orders the agent creates or moves arrive through the live stream.
 */
@Component({
  selector: 'app-orders-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, StoredMedia],
  template: `
    <section class="page">
      <h1>{{ i18n.t('orders.title') }}</h1>
      <form class="filters" (ngSubmit)="load()" data-testid="order-filters">
        <label
          >{{ i18n.t('orders.status') }}
          <select name="status" [ngModel]="filter().status" (ngModelChange)="setFilter({ status: $event })" data-testid="status-filter">
            <option value="">{{ i18n.t('orders.anyStatus') }}</option>
            @for (status of statuses; track status) {
              <option [value]="status">{{ statusLabel(status) }}</option>
            }
          </select>
        </label>
        <label
          >{{ i18n.t('orders.from') }}
          <input type="date" name="from" [ngModel]="filter().from" (ngModelChange)="setFilter({ from: $event })" />
        </label>
        <label
          >{{ i18n.t('orders.to') }}
          <input type="date" name="to" [ngModel]="filter().to" (ngModelChange)="setFilter({ to: $event })" />
        </label>
      </form>
      @if (problem(); as message) {
        <p class="notice error" role="alert">{{ message }}</p>
      }
      @if (notice(); as message) {
        <p class="notice info" role="status">{{ message }}</p>
      }
      @if (state() === 'loading') {
        <p role="status">{{ i18n.t('state.loading') }}</p>
      } @else if (orders().length === 0) {
        <p class="muted">{{ i18n.t('orders.empty') }}</p>
      }
      <ul class="orders">
        @for (order of orders(); track order.id) {
          <li class="card" [attr.data-order]="order.reference" data-testid="order-row">
            <details [open]="expanded() === order.id" (toggle)="toggled(order.id, $event)">
              <summary>
                <strong>{{ order.reference }}</strong>
                <span>{{ order.customer.name }}</span>
                <span class="status" [attr.data-status]="order.status" data-testid="order-status">{{ statusLabel(order.status) }}</span>
                <span class="total">{{ price(order.totalMinor, order.currency) }}</span>
                <span class="muted">{{ i18n.dateTime(order.createdAt) }}</span>
              </summary>
              <div class="detail">
                <div>
                  <h2>{{ i18n.t('orders.items') }}</h2>
                  <table>
                    <thead>
                      <tr>
                        <th>{{ i18n.t('products.name') }}</th>
                        <th>{{ i18n.t('orders.quantity') }}</th>
                        <th>{{ i18n.t('orders.unitPrice') }}</th>
                      </tr>
                    </thead>
                    <tbody>
                      @for (item of order.items; track item.productId) {
                        <tr>
                          <td>{{ item.name }}</td>
                          <td>{{ item.quantity }}</td>
                          <td>{{ price(item.unitPriceMinor, order.currency) }}</td>
                        </tr>
                      }
                    </tbody>
                  </table>
                  <h2>{{ i18n.t('orders.customer') }}</h2>
                  <p>{{ order.customer.name }} · {{ order.contact.phone ?? '' }}</p>
                  @if (order.customer.address) {
                    <p>{{ i18n.t('orders.address') }}: {{ order.customer.address }}</p>
                  }
                  @if (order.customer.notes) {
                    <p>{{ i18n.t('orders.notes') }}: {{ order.customer.notes }}</p>
                  }
                </div>
                <div>
                  <h2>{{ i18n.t('orders.voucher') }}</h2>
                  @if (order.voucher; as voucher) {
                    <app-stored-media
                      [messageId]="voucher.messageId"
                      kind="image"
                      [media]="voucherMedia"
                      [title]="i18n.t('orders.voucher')"
                      data-testid="voucher-image"
                    />
                    @if (order.status === 'AWAITING_VOUCHER') {
                      <div class="actions">
                        <button mat-flat-button type="button" [disabled]="busy()" (click)="confirmVoucher(order)" data-testid="confirm-voucher">
                          {{ i18n.t('orders.confirmVoucher') }}
                        </button>
                        <button mat-button type="button" [disabled]="busy()" (click)="rejectVoucher(order)" data-testid="reject-voucher">
                          {{ i18n.t('orders.rejectVoucher') }}
                        </button>
                      </div>
                    }
                  } @else {
                    <p class="muted">{{ i18n.t('orders.noVoucher') }}</p>
                  }
                  <h2>{{ i18n.t('orders.timeline') }}</h2>
                  <ol class="timeline">
                    @for (entry of order.timeline; track $index) {
                      <li>{{ statusLabel(entry.status) }} — {{ i18n.dateTime(entry.at) }}</li>
                    }
                  </ol>
                </div>
                <div class="actions">
                  @if (next(order.status); as status) {
                    <button mat-flat-button type="button" [disabled]="busy()" (click)="move(order, status)" data-testid="quick-action">
                      {{ i18n.t('orders.markAs', { status: statusLabel(status) }) }}
                    </button>
                  }
                  <form class="courier" (ngSubmit)="assign(order, courier.value)">
                    <label
                      >{{ i18n.t('orders.deliveryAgent') }}
                      <input #courier [value]="order.deliveryAgent ?? ''" maxlength="200" data-testid="delivery-agent" />
                    </label>
                    <button mat-button type="submit" [disabled]="busy()" data-testid="assign-delivery-agent">{{ i18n.t('orders.assign') }}</button>
                  </form>
                  @if (cancellable(order.status)) {
                    <button mat-button type="button" class="danger" [disabled]="busy()" (click)="move(order, 'CANCELLED')" data-testid="cancel-order">
                      {{ i18n.t('orders.cancel') }}
                    </button>
                  }
                </div>
              </div>
            </details>
          </li>
        }
      </ul>
    </section>
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      margin-bottom: 12px;
    }
    .filters label,
    .courier label {
      display: flex;
      flex-direction: column;
      font-size: 0.85rem;
      gap: 2px;
    }
    .orders {
      list-style: none;
      padding: 0;
      margin: 0;
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    summary {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: baseline;
      cursor: pointer;
    }
    .status {
      padding: 1px 8px;
      border-radius: 10px;
      background: #e8f0fe;
      font-size: 0.85rem;
    }
    .status[data-status='AWAITING_VOUCHER'] {
      background: #fff4d6;
    }
    .status[data-status='CANCELLED'] {
      background: #fde7e9;
    }
    .status[data-status='DELIVERED'] {
      background: #e6f4ea;
    }
    .total {
      margin-left: auto;
      font-weight: 600;
    }
    .detail {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(260px, 1fr));
      gap: 16px;
      margin-top: 12px;
    }
    .detail h2 {
      font-size: 1rem;
      margin: 8px 0 4px;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: left;
      padding: 2px 6px;
    }
    .actions {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 8px;
    }
    .courier {
      display: flex;
      gap: 6px;
      align-items: flex-end;
    }
    .danger {
      color: #b3261e;
    }
    .timeline {
      padding-left: 18px;
      margin: 0;
    }
  `,
})
export class OrdersPage implements OnInit {
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  protected readonly statuses = statuses;
  protected readonly state = signal<'loading' | 'ready'>('loading');
  protected readonly orders = signal<OrderView[]>([]);
  protected readonly filter = signal<OrderFilter>({ status: '', from: '', to: '' });
  protected readonly expanded = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly problem = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly voucherMedia = { caption: null, filename: null, mimeType: 'image/jpeg', size: null, state: 'stored' as const, url: null };

  constructor() {
    const subscription = inject(LiveUpdates).events.subscribe((event) => {
      if (event.type === 'order.updated') this.orders.update((orders) => upsertOrder(orders, event.order, this.filter()));
      if (event.type === 'resync') void this.load();
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  ngOnInit(): Promise<void> {
    return this.load();
  }

  protected async load(): Promise<void> {
    this.problem.set(null);
    try {
      this.orders.set((await this.api.listOrders({ ...orderQuery(this.filter()), limit: 100 })).items);
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
    } finally {
      this.state.set('ready');
    }
  }

  protected setFilter(change: Partial<OrderFilter>): void {
    this.filter.update((filter) => ({ ...filter, ...change }));
    void this.load();
  }

  protected toggled(orderId: string, event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open) this.expanded.set(orderId);
    else if (this.expanded() === orderId) this.expanded.set(null);
  }

  protected statusLabel(status: OrderStatus): string {
    return this.i18n.t(`orderStatus.${status}` as const);
  }

  protected price(amountMinor: number, currency: string): string {
    return money(amountMinor, currency, this.i18n.locale());
  }

  protected next(status: OrderStatus): OrderStatus | null {
    return quickAction(status);
  }

  protected cancellable(status: OrderStatus): boolean {
    return canCancel(status);
  }

  protected move(order: OrderView, status: OrderStatus): Promise<void> {
    return this.act(() => this.api.changeOrderStatus(order.id, status));
  }

  protected assign(order: OrderView, deliveryAgent: string): Promise<void> {
    const value = deliveryAgent.trim();
    return this.act(() => this.api.setDeliveryAgent(order.id, value === '' ? null : value));
  }

  protected confirmVoucher(order: OrderView): Promise<void> {
    return this.act(() => this.api.confirmVoucher(order.id));
  }

  protected rejectVoucher(order: OrderView): Promise<void> {
    return this.act(() => this.api.rejectVoucher(order.id));
  }

  private async act(action: () => Promise<OrderView & { customerNotified?: { sent: boolean; reason: string | null } }>): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    this.notice.set(null);
    try {
      const order = await action();
      this.orders.update((orders) => upsertOrder(orders, order, this.filter()));
      if (order.customerNotified && !order.customerNotified.sent) {
        this.notice.set(this.i18n.t('orders.customerNotNotified', { reason: order.customerNotified.reason ?? '' }));
      }
    } catch (error) {
      this.problem.set(toApiProblem(error).message);
      // A 409 means someone else moved it: show where it is now.
      await this.load();
    } finally {
      this.busy.set(false);
    }
  }
}
