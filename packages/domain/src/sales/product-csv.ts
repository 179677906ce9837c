import { formatMinorAsDecimal, isCurrencyCode, parseDecimalToMinor } from './money.ts';

/**
 * The catalogue as a CSV file (RFC 4180: quoted fields may hold commas, quotes and line breaks). Spreadsheets in
 * Spanish-speaking locales write `;`, so the header line decides the delimiter. Prices are decimals in the file
 * ("12.50") and integer minor units everywhere else.
 */
export const productCsvColumns = ['sku', 'name', 'description', 'price', 'currency', 'stock', 'category', 'active'] as const;
export type ProductCsvColumn = (typeof productCsvColumns)[number];

export const maxProductCsvRows = 5_000;

/** One valid row, ready to be written. */
export interface ProductCsvRow {
  line: number;
  sku: string | null;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  stock: number | null;
  category: string | null;
  active: boolean;
}

/** A row that cannot be imported: its line in the file (the header is line 1) and why. */
export interface ProductCsvError {
  line: number;
  reason: string;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits CSV text into records, each with the line it starts on. Throws on an unterminated quote. */
export function parseCsvRecords(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      atFieldStart = true;
      line += 1;
      recordLine = line;
    } else {
      field += char;
      atFieldStart = false;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  // Blank lines carry nothing to import.
  return records.filter((record) => !(record.fields.length === 1 && record.fields[0]!.trim() === ''));
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'CsvSyntaxError';
  }
}

const truthy = new Set(['true', 'yes', 'si', 'sí', '1', 'y', 's']);
const falsy = new Set(['false', 'no', '0', 'n']);

/**
 * Reads and checks a whole file. Every bad row is reported (line + reason), not just the first, so the operator
 * fixes the file once; `rows` is only meaningful when `errors` is empty (the import is all-or-nothing).
 */
export interface ParsedProductCsv {
  rows: ProductCsvRow[];
  errors: ProductCsvError[];
  /** The columns the file has: an update changes only these (a file without `stock` leaves stock alone). */
  columns: ProductCsvColumn[];
}

export function parseProductCsv(text: string): ParsedProductCsv {
  const content = text.replace(/^\uFEFF/, '');
  const headerLine = content.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(content, delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { rows: [], columns: [], errors: [{ line: error.line, reason: error.message }] };
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], columns: [], errors: [{ line: 1, reason: 'the file is empty: the first line names the columns' }] };

  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(productCsvColumns as readonly string[]).includes(name));
  const missing = (['name', 'price', 'currency'] as const).filter((name) => !names.includes(name));
  const duplicated = names.filter((name, index) => names.indexOf(name) !== index);
  const headerProblems = [
    ...(missing.length > 0 ? [`missing column(s): ${missing.join(', ')}`] : []),
    ...(unknown.length > 0 ? [`unknown column(s): ${unknown.join(', ')} (known: ${productCsvColumns.join(', ')})`] : []),
    ...(duplicated.length > 0 ? [`repeated column(s): ${duplicated.join(', ')}`] : []),
  ];
  if (headerProblems.length > 0) return { rows: [], columns: [], errors: [{ line: header.line, reason: headerProblems.join('; ') }] };
  if (body.length === 0) return { rows: [], columns: [], errors: [{ line: 2, reason: 'the file has no product rows' }] };
  if (body.length > maxProductCsvRows) {
    return { rows: [], columns: [], errors: [{ line: body[maxProductCsvRows]!.line, reason: `at most ${maxProductCsvRows} products per file` }] };
  }

  const rows: ProductCsvRow[] = [];
  const errors: ProductCsvError[] = [];
  const skuLines = new Map<string, number>();
  for (const record of body) {
    const cell = (column: ProductCsvColumn) => {
      const index = names.indexOf(column);
      const value = index < 0 ? '' : (record.fields[index] ?? '').trim();
      // Undo the export's formula guard, so an exported file imports unchanged.
      return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
    };
    const reasons: string[] = [];
    if (record.fields.length !== names.length) reasons.push(`has ${record.fields.length} fields, the header has ${names.length}`);

    const name = cell('name');
    if (name === '') reasons.push('name is empty');
    else if (name.length > 200) reasons.push('name is longer than 200 characters');

    const currency = cell('currency').toUpperCase();
    const currencyOk = isCurrencyCode(currency);
    if (!currencyOk) reasons.push(currency === '' ? 'currency is empty' : `currency "${currency}" is not an ISO 4217 code`);

    const priceText = cell('price');
    const priceMinor = currencyOk ? parseDecimalToMinor(priceText, currency) : null;
    if (priceText === '') reasons.push('price is empty');
    else if (currencyOk && priceMinor === null) reasons.push(`price "${priceText}" is not a non-negative amount in ${currency}`);

    const stockText = cell('stock');
    const stock = stockText === '' ? null : /^\d+$/.test(stockText) ? Number(stockText) : NaN;
    if (Number.isNaN(stock) || (stock !== null && !Number.isSafeInteger(stock))) reasons.push(`stock "${stockText}" is not a whole number ≥ 0`);

    const activeText = cell('active').toLowerCase();
    const active = activeText === '' || truthy.has(activeText) ? true : falsy.has(activeText) ? false : null;
    if (active === null) reasons.push(`active "${cell('active')}" is not true or false`);

    const sku = cell('sku');
    if (sku.length > 64) reasons.push('sku is longer than 64 characters');
    if (sku !== '') {
      const earlier = skuLines.get(sku);
      if (earlier !== undefined) reasons.push(`sku "${sku}" is also on line ${earlier}`);
      else skuLines.set(sku, record.line);
    }
    const description = cell('description');
    if (description.length > 5_000) reasons.push('description is longer than 5000 characters');
    const category = cell('category');
    if (category.length > 100) reasons.push('category is longer than 100 characters');

    if (reasons.length > 0) {
      errors.push({ line: record.line, reason: reasons.join('; ') });
      continue;
    }
    rows.push({
      line: record.line,
      sku: sku === '' ? null : sku,
      name,
      description,
      priceMinor: priceMinor!,
      currency,
      stock: stock as number | null,
      category: category === '' ? null : category,
      active: active!,
    });
  }
  return { rows, errors, columns: names as ProductCsvColumn[] };
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return before one) as a formula:
 * such text from a product is written with a leading apostrophe, so opening the export never runs it.
 */
export function csvCell(value: string): string {
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n;]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export interface ProductCsvExportRow {
  sku: string | null;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  stock: number | null;
  category: string | null;
  active: boolean;
}

/** The catalogue in the import's own format: an export imported again changes nothing. */
export function productsToCsv(products: readonly ProductCsvExportRow[]): string {
  const lines = [productCsvColumns.join(',')];
  for (const product of products) {
    lines.push(
      [
        product.sku ?? '',
        product.name,
        product.description,
        formatMinorAsDecimal(product.priceMinor, product.currency),
        product.currency,
        product.stock === null ? '' : String(product.stock),
        product.category ?? '',
        product.active ? 'true' : 'false',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
