import type { ContactField, Prisma } from '@app/db';
import { contactFieldLimits, parseContactFieldValue } from '@app/domain';
import { AppError } from '@app/runtime/service';

const fieldPrefix = 'field.';

/**
 * The `field.<key>=<value>` query parameters as Prisma conditions on the contact (all must match): TEXT contains
 * (case ignored), NUMBER / DATE / ENUM equal once parsed as the field's type. Every problem is reported at once.
 */
export function contactFieldFilters(query: Record<string, unknown>, fields: ContactField[]): Prisma.ContactWhereInput[] {
  const byKey = new Map(fields.map((field) => [field.key, field]));
  const problems: Array<{ path: string; message: string }> = [];
  const conditions: Prisma.ContactWhereInput[] = [];
  for (const [name, raw] of Object.entries(query)) {
    if (!name.startsWith(fieldPrefix)) continue;
    const path = `query.${name}`;
    const field = byKey.get(name.slice(fieldPrefix.length));
    if (!field) {
      problems.push({ path, message: 'no contact field has this key' });
      continue;
    }
    if (typeof raw !== 'string') {
      problems.push({ path, message: 'give one value per field' });
      continue;
    }
    const value = field.type === 'TEXT' ? raw.trim() : raw;
    if (field.type === 'TEXT') {
      if (value === '' || value.length > contactFieldLimits.textLength)
        problems.push({ path, message: `must be 1–${contactFieldLimits.textLength} characters` });
      else conditions.push({ fieldValues: { some: { fieldId: field.id, textValue: { contains: likeLiteral(value), mode: 'insensitive' } } } });
      continue;
    }
    const parsed = parseContactFieldValue(field, value);
    if (!parsed.ok) {
      problems.push({ path, message: parsed.error });
      continue;
    }
    const stored = parsed.value;
    const condition: Prisma.ContactFieldValueWhereInput =
      stored.type === 'NUMBER'
        ? { numberValue: stored.number }
        : stored.type === 'DATE'
          ? { dateValue: new Date(`${stored.date}T00:00:00.000Z`) }
          : { textValue: stored.text };
    conditions.push({ fieldValues: { some: { fieldId: field.id, ...condition } } });
  }
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'The request query is invalid.', problems);
  return conditions;
}

/** Prisma passes `contains` into LIKE as it is: escape its wildcards so `%` or `_` match themselves. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
