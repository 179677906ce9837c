import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../../core/api/api-client';
import type { OrderView } from '../../../core/api/api-models';
import { AuthSession } from '../../../core/auth/auth-session';
import { I18n } from '../../../core/i18n/i18n';
import { LiveUpdates } from '../../../core/live/live-updates';
import { money } from '../data/order-list';

/**
 * The open chat's customer's orders, beside the chat (SALES businesses): reference, status and total of each, with a
 * link to the Orders page. Nothing is shown for a customer without orders, so the chat keeps its whole height.
 */
@Component({
  selector: 'app-contact-orders',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (orders().length > 0) {
      <details class="panel" data-testid="contact-orders">
        <summary>{{ i18n.t('nav.orders') }} ({{ orders().length }}) · {{ latest() }}</summary>
        <ul>
          @for (order of orders(); track order.id) {
            <li>
              <strong>{{ order.reference }}</strong> {{ i18n.t(statusKey(order)) }} · {{ price(order) }} ·
              {{ i18n.dateTime(order.createdAt) }}
            </li>
          }
        </ul>
        <a routerLink="/orders">{{ i18n.t('orders.title') }} →</a>
      </details>
    }
  `,
  styles: `
    .panel {
      padding: 4px 12px;
      background: #fffdf5;
      border-bottom: 1px solid #e9edef;
      font-size: 0.875rem;
    }
    summary {
      cursor: pointer;
    }
    ul {
      margin: 4px 0;
      padding-left: 18px;
    }
  `,
})
export class ContactOrders {
  readonly contactId = input.required<string>();
  protected readonly i18n = inject(I18n);
  private readonly api = inject(ApiClient);
  private readonly session = inject(AuthSession);
  protected readonly orders = signal<OrderView[]>([]);

  constructor() {
    effect(() => {
      const contactId = this.contactId();
      const sales = this.session.account()?.business.objective === 'SALES';
      untracked(() => void this.load(contactId, sales));
    });
    const subscription = inject(LiveUpdates).events.subscribe((event) => {
      if (event.type === 'order.updated' && event.order.contact.id === this.contactId()) void this.load(this.contactId(), true);
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  protected latest(): string {
    const order = this.orders()[0];
    return order ? `${order.reference} ${this.i18n.t(this.statusKey(order))}` : '';
  }

  protected statusKey(order: OrderView) {
    return `orderStatus.${order.status}` as const;
  }

  protected price(order: OrderView): string {
    return money(order.totalMinor, order.currency, this.i18n.locale());
  }

  private async load(contactId: string, sales: boolean): Promise<void> {
    if (!sales) {
      this.orders.set([]);
      return;
    }
    try {
      const page = await this.api.listOrders({ contactId, limit: 10 });
      if (contactId === this.contactId()) this.orders.set(page.items);
    } catch {
      // The panel is an aid: the chat works without it.
      this.orders.set([]);
    }
  }
}
