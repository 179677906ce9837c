import { formatMinorAsDecimal, isCurrencyCode, parseDecimalToMinor } from '@app/domain/sales/money';

/** The product form as typed: a decimal price and a stock that may be empty. */
export interface ProductFormValue {
  name: string;
  description: string;
  price: string;
  currency: string;
  sku: string;
  stock: string;
  category: string;
  active: boolean;
}

/** The API's body for the form, or null when the price cannot be read in the currency. */
export function productBody(value: ProductFormValue) {
  const currency = value.currency.trim().toUpperCase();
  const priceMinor = isCurrencyCode(currency) ? parseDecimalToMinor(value.price, currency) : null;
  if (priceMinor === null) return null;
  const optional = (text: string) => (text.trim() === '' ? null : text.trim());
  return {
    name: value.name.trim(),
    description: value.description,
    priceMinor,
    currency,
    sku: optional(value.sku),
    stock: value.stock.trim() === '' ? null : Number(value.stock),
    category: optional(value.category),
    active: value.active,
  };
}

export function productFormValue(product: {
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  sku: string | null;
  stock: number | null;
  category: string | null;
  active: boolean;
}): ProductFormValue {
  return {
    name: product.name,
    description: product.description,
    price: formatMinorAsDecimal(product.priceMinor, product.currency),
    currency: product.currency,
    sku: product.sku ?? '',
    stock: product.stock === null ? '' : String(product.stock),
    category: product.category ?? '',
    active: product.active,
  };
}

/** The import's 400 lists every bad line as {line, reason}. */
export function importErrors(details: unknown): Array<{ line: number; reason: string }> {
  return Array.isArray(details)
    ? details.filter((entry): entry is { line: number; reason: string } => typeof entry?.line === 'number' && typeof entry?.reason === 'string')
    : [];
}
