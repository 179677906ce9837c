import { ContactFieldChanged, contactFieldJsonValue, type ContactFieldDefinition, type ContactFieldType, type ContactFieldValue } from '@app/domain';
import type { Transaction } from '../database.ts';
import type { ContactField, ContactFieldSetBy, ContactFieldValue as ContactFieldValueRow, PrismaClient } from '../generated/prisma/client.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';

/** The business's field definitions, in display order. */
export async function listContactFields(prisma: PrismaClient | Transaction, businessId: string): Promise<ContactField[]> {
  return prisma.contactField.findMany({ where: { businessId }, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] });
}

export function toContactFieldDefinition(field: ContactField): ContactFieldDefinition {
  return { key: field.key, label: field.label, type: field.type, options: field.options, description: field.description };
}

type StoredColumns = Pick<ContactFieldValueRow, 'textValue' | 'numberValue' | 'dateValue'>;

/** The typed columns a value is stored in; the other two stay null. */
export function contactFieldValueColumns(value: ContactFieldValue): StoredColumns {
  switch (value.type) {
    case 'TEXT':
    case 'ENUM':
      return { textValue: value.text, numberValue: null, dateValue: null };
    case 'NUMBER':
      return { textValue: null, numberValue: value.number, dateValue: null };
    case 'DATE':
      return { textValue: null, numberValue: null, dateValue: new Date(`${value.date}T00:00:00.000Z`) };
  }
}

/** A stored row read back as the field's type says; null when the row's column for it is empty. */
export function contactFieldValueOf(type: ContactFieldType, row: StoredColumns): ContactFieldValue | null {
  switch (type) {
    case 'TEXT':
    case 'ENUM':
      return row.textValue === null ? null : { type, text: row.textValue };
    case 'NUMBER':
      return row.numberValue === null ? null : { type, number: row.numberValue };
    case 'DATE':
      return row.dateValue === null ? null : { type, date: row.dateValue.toISOString().slice(0, 10) };
  }
}

export interface ContactFieldChange {
  field: Pick<ContactField, 'id' | 'key' | 'type'>;
  /** Null clears the value. */
  value: ContactFieldValue | null;
}

export interface SaveContactFieldValuesInput {
  businessId: string;
  contactId: string;
  changes: ContactFieldChange[];
  setBy: ContactFieldSetBy;
  setByUserId: string | null;
  now: Date;
}

/**
 * Sets (or clears) some of one contact's field values inside the caller's transaction, and publishes
 * `contact.field-changed` for each value that really changed: saving the same value again changes nothing and
 * publishes nothing, so a redelivered tool call or a double-clicked save is harmless. Returns the changed keys.
 */
export async function saveContactFieldValues(transaction: Transaction, input: SaveContactFieldValuesInput): Promise<string[]> {
  const { businessId, contactId } = input;
  const current = await transaction.contactFieldValue.findMany({
    where: { businessId, contactId, fieldId: { in: input.changes.map((change) => change.field.id) } },
  });
  const currentByField = new Map(current.map((row) => [row.fieldId, row]));
  const changed: string[] = [];
  for (const { field, value } of input.changes) {
    const before = currentByField.get(field.id);
    const beforeValue = before ? contactFieldValueOf(field.type, before) : null;
    if (sameValue(beforeValue, value)) continue;
    if (value === null) {
      await transaction.contactFieldValue.deleteMany({ where: { businessId, contactId, fieldId: field.id } });
    } else {
      const columns = contactFieldValueColumns(value);
      const who = { setBy: input.setBy, setByUserId: input.setByUserId };
      await transaction.contactFieldValue.upsert({
        where: { contactId_fieldId: { contactId, fieldId: field.id } },
        create: { businessId, contactId, fieldId: field.id, ...columns, ...who },
        update: { ...columns, ...who },
      });
    }
    await enqueueEvent(
      transaction,
      ContactFieldChanged.topic,
      ContactFieldChanged.create(
        {
          businessId,
          contactId,
          fieldKey: field.key,
          value: value === null ? null : contactFieldJsonValue(value),
          setBy: input.setBy,
          setByUserId: input.setByUserId,
        },
        { occurredAt: input.now },
      ),
      { key: contactId },
    );
    changed.push(field.key);
  }
  return changed;
}

function sameValue(left: ContactFieldValue | null, right: ContactFieldValue | null): boolean {
  if (left === null || right === null) return left === right;
  return contactFieldJsonValue(left) === contactFieldJsonValue(right);
}
