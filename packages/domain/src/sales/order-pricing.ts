/**
 * An order's lines and total, priced from the catalogue. The caller (the model, a console form) names products and
 * quantities only: any price it might have written is never read.
 */

export interface OrderLineRequest {
  productId: string;
  quantity: number;
}

/** What pricing needs to know of a catalogue product. */
export interface CataloguePrice {
  id: string;
  name: string;
  sku: string | null;
  priceMinor: number;
  currency: string;
  active: boolean;
  /** null: not tracked. */
  stock: number | null;
}

export interface PricedOrderLine {
  productId: string;
  name: string;
  sku: string | null;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface PricedOrder {
  currency: string;
  lines: PricedOrderLine[];
  totalMinor: number;
}

export type OrderPricingProblem =
  | { code: 'EMPTY_ORDER'; message: string }
  | { code: 'INVALID_QUANTITY'; productId: string; message: string }
  | { code: 'UNKNOWN_PRODUCT'; productId: string; message: string }
  | { code: 'INACTIVE_PRODUCT'; productId: string; message: string }
  | { code: 'OUT_OF_STOCK'; productId: string; available: number; message: string }
  | { code: 'MIXED_CURRENCIES'; message: string };

export const maxOrderLines = 50;
export const maxLineQuantity = 10_000;

/**
 * Prices the requested lines (the same product twice becomes one line) or lists every problem. Stock is checked
 * against the summed quantity; the database checks it again when it takes the stock.
 */
export function priceOrder(
  requested: readonly OrderLineRequest[],
  catalogue: ReadonlyMap<string, CataloguePrice>,
): { ok: true; order: PricedOrder } | { ok: false; problems: OrderPricingProblem[] } {
  if (requested.length === 0) return { ok: false, problems: [{ code: 'EMPTY_ORDER', message: 'An order needs at least one product.' }] };

  const problems: OrderPricingProblem[] = [];
  const quantities = new Map<string, number>();
  for (const line of requested) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > maxLineQuantity) {
      problems.push({
        code: 'INVALID_QUANTITY',
        productId: line.productId,
        message: `Quantity ${line.quantity} is not a whole number between 1 and ${maxLineQuantity}.`,
      });
      continue;
    }
    quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  }

  const lines: PricedOrderLine[] = [];
  for (const [productId, quantity] of quantities) {
    const product = catalogue.get(productId);
    if (!product) {
      problems.push({ code: 'UNKNOWN_PRODUCT', productId, message: `Product ${productId} does not exist.` });
      continue;
    }
    if (!product.active) {
      problems.push({ code: 'INACTIVE_PRODUCT', productId, message: `${product.name} is not for sale at the moment.` });
      continue;
    }
    if (product.stock !== null && product.stock < quantity) {
      problems.push({
        code: 'OUT_OF_STOCK',
        productId,
        available: product.stock,
        message: `Only ${product.stock} of ${product.name} left; ${quantity} asked for.`,
      });
      continue;
    }
    lines.push({
      productId,
      name: product.name,
      sku: product.sku,
      quantity,
      unitPriceMinor: product.priceMinor,
      lineTotalMinor: product.priceMinor * quantity,
    });
  }

  const currencies = new Set(lines.map((line) => catalogue.get(line.productId)!.currency));
  if (currencies.size > 1) {
    problems.push({ code: 'MIXED_CURRENCIES', message: `One order cannot mix currencies (${[...currencies].join(', ')}).` });
  }
  if (problems.length > 0) return { ok: false, problems };

  const totalMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  if (!Number.isSafeInteger(totalMinor)) return { ok: false, problems: [{ code: 'EMPTY_ORDER', message: 'The order total is too large.' }] };
  return { ok: true, order: { currency: [...currencies][0]!, lines, totalMinor } };
}
