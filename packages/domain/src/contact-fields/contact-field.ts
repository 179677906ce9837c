/**
 * Custom contact fields: what a business wants to know about its contacts (city, shoe size, birthday …), filled in
 * by an operator or by the agent. One parser decides what a valid value is, for the API, the console and the
 * `save_contact_field` tool alike (ADR 0020).
 */
export const contactFieldTypes = ['TEXT', 'NUMBER', 'DATE', 'ENUM'] as const;
export type ContactFieldType = (typeof contactFieldTypes)[number];

/** Lower snake case, starts with a letter: safe as a JSON-schema enum value, a query parameter and a CSV header. */
export const contactFieldKeyPattern = /^[a-z][a-z0-9_]{0,39}$/;
export const contactFieldLimits = {
  textLength: 500,
  labelLength: 80,
  descriptionLength: 500,
  options: 50,
  optionLength: 100,
  fieldsPerBusiness: 50,
} as const;

export interface ContactFieldDefinition {
  key: string;
  label: string;
  type: ContactFieldType;
  /** ENUM only: the allowed values, canonical spelling. */
  options: string[];
  description: string;
}

/** A parsed value, in the column its type is stored in. */
export type ContactFieldValue =
  | { type: 'TEXT'; text: string }
  | { type: 'ENUM'; text: string }
  | { type: 'NUMBER'; number: number }
  /** `YYYY-MM-DD`, a calendar date without time zone. */
  | { type: 'DATE'; date: string };

export type ParsedContactFieldValue = { ok: true; value: ContactFieldValue } | { ok: false; error: string };

/**
 * Parses what an operator typed or the model said into the field's type.
 * - TEXT: trimmed, not empty, at most 500 characters.
 * - NUMBER: a JSON number, or a string with an optional sign and ONE decimal separator, `.` or `,` ("12,5" = 12.5,
 *   how Spanish speakers write it); thousands separators are refused ("1.234,5" is ambiguous), so is anything not finite.
 * - DATE: exactly `YYYY-MM-DD`, a date that exists (2026-02-30 is refused).
 * - ENUM: one of the options, case and surrounding spaces ignored; the stored value is the option as defined.
 */
export function parseContactFieldValue(field: Pick<ContactFieldDefinition, 'type' | 'options'>, raw: unknown): ParsedContactFieldValue {
  if (field.type === 'NUMBER') return parseNumber(raw);
  if (typeof raw !== 'string') return { ok: false, error: 'must be a string' };
  const value = raw.trim();
  if (value === '') return { ok: false, error: 'must not be empty' };
  switch (field.type) {
    case 'TEXT':
      return value.length > contactFieldLimits.textLength
        ? { ok: false, error: `must be at most ${contactFieldLimits.textLength} characters` }
        : { ok: true, value: { type: 'TEXT', text: value } };
    case 'DATE':
      return isCalendarDate(value) ? { ok: true, value: { type: 'DATE', date: value } } : { ok: false, error: 'must be a date written YYYY-MM-DD' };
    case 'ENUM': {
      const option = matchOption(field.options, value);
      return option === null
        ? { ok: false, error: `must be one of: ${field.options.join(', ')}` }
        : { ok: true, value: { type: 'ENUM', text: option } };
    }
  }
}

const decimalNumber = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

function parseNumber(raw: unknown): ParsedContactFieldValue {
  let number: number;
  if (typeof raw === 'number') number = raw;
  else if (typeof raw === 'string' && decimalNumber.test(raw.trim())) number = Number(raw.trim().replace(',', '.'));
  else return { ok: false, error: 'must be a number such as 12 or 12.5 (12,5 is accepted too; no thousands separators)' };
  if (!Number.isFinite(number)) return { ok: false, error: 'must be a finite number' };
  // Beyond 2^53 a double no longer holds every integer: refuse rather than store a different number.
  if (Math.abs(number) > Number.MAX_SAFE_INTEGER) return { ok: false, error: 'is too large' };
  return { ok: true, value: { type: 'NUMBER', number: Object.is(number, -0) ? 0 : number } };
}

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function matchOption(options: readonly string[], value: string): string | null {
  const wanted = value.toLowerCase();
  return options.find((option) => option.toLowerCase() === wanted) ?? null;
}

/** The value as people and the model read it: the text, the option, `YYYY-MM-DD`, or the number in JS notation. */
export function formatContactFieldValue(value: ContactFieldValue): string {
  switch (value.type) {
    case 'TEXT':
    case 'ENUM':
      return value.text;
    case 'NUMBER':
      return String(value.number);
    case 'DATE':
      return value.date;
  }
}

/** The value as the API returns it: a number for NUMBER, a string otherwise. */
export function contactFieldJsonValue(value: ContactFieldValue): string | number {
  return value.type === 'NUMBER' ? value.number : formatContactFieldValue(value);
}

/**
 * An ENUM's options as the business typed them: trimmed, empty ones dropped, duplicates (ignoring case) refused
 * because a value could not tell them apart.
 */
export function normalizeEnumOptions(options: readonly string[]): { ok: true; options: string[] } | { ok: false; error: string } {
  const trimmed = options.map((option) => option.trim()).filter((option) => option !== '');
  if (trimmed.length === 0) return { ok: false, error: 'an enum field needs at least one option' };
  if (trimmed.length > contactFieldLimits.options) return { ok: false, error: `at most ${contactFieldLimits.options} options` };
  const long = trimmed.find((option) => option.length > contactFieldLimits.optionLength);
  if (long) return { ok: false, error: `option "${long.slice(0, 20)}…" is longer than ${contactFieldLimits.optionLength} characters` };
  const seen = new Set<string>();
  for (const option of trimmed) {
    const folded = option.toLowerCase();
    if (seen.has(folded)) return { ok: false, error: `option "${option}" is listed twice (case is ignored)` };
    seen.add(folded);
  }
  return { ok: true, options: trimmed };
}

/** How the model is told about one field: `city (City, text): where the customer lives`. */
export function describeContactFieldForModel(field: ContactFieldDefinition): string {
  const type = field.type === 'ENUM' ? `one of: ${field.options.join(', ')}` : field.type === 'DATE' ? 'date YYYY-MM-DD' : field.type.toLowerCase();
  const description = field.description.trim();
  return `${field.key} (${field.label}, ${type})${description ? `: ${description}` : ''}`;
}
