/**
 * Money as integer minor units (cents) plus an ISO 4217 currency: prices never pass through floating point, and a
 * total is a sum of integers. How many minor digits a currency has (EUR 2, JPY 0, KWD 3) comes from the runtime's
 * ICU data, not from a table of our own.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

const currencyPattern = /^[A-Z]{3}$/;
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code the platform can format (upper case, e.g. EUR, MXN, COP). */
export function isCurrencyCode(value: string): boolean {
  return currencyPattern.test(value) && knownCurrencies.has(value);
}

/** Digits after the decimal point in the currency's usual notation. */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A valid amount: a safe, non-negative integer of minor units. */
export function isMinorAmount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** "12.50" in the currency's notation, for CSV files and the model (which reads numbers, not cents). */
export function formatMinorAsDecimal(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const absolute = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  return `${sign}${absolute.slice(0, -digits)}.${absolute.slice(-digits)}`;
}

/**
 * Reads a decimal price ("12.5", "12,50", "1200") into minor units without floating point; null when the text is
 * not a plain non-negative number or has more decimals than the currency allows.
 */
export function parseDecimalToMinor(text: string, currency: string): number | null {
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const digits = minorUnitDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  const amount = Number(match[1]! + fraction.padEnd(digits, '0'));
  return isMinorAmount(amount) ? amount : null;
}

/** "€12.50" for people (the console, messages to the customer). */
export function formatMoney(money: Money, locale = 'es'): string {
  const digits = minorUnitDigits(money.currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amountMinor / 10 ** digits);
}
