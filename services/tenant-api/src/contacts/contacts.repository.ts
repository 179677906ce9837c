import {
  contactFieldValueOf,
  listContactFields,
  saveContactFieldValues,
  type ContactField,
  type ContactFieldChange,
  type Prisma,
  type PrismaClient,
} from '@app/db';
import { contactFieldJsonValue, parseContactFieldValue } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import { afterCursor, decodeCursor, encodeCursor } from '../conversations/page-cursor.ts';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { contactFieldFilters, likeLiteral } from './contact-filters.ts';
import type { ContactFieldValueView, ContactListItem, UpdateContactFieldValuesInput } from './contacts.schema.ts';

const withFieldValues = { fieldValues: { include: { field: { select: { key: true, type: true } } } } } satisfies Prisma.ContactInclude;
type ContactRow = Prisma.ContactGetPayload<{ include: typeof withFieldValues }>;

function toListItem(row: ContactRow): ContactListItem {
  const fields: Record<string, string | number> = {};
  for (const stored of row.fieldValues) {
    const value = contactFieldValueOf(stored.field.type, stored);
    if (value !== null) fields[stored.field.key] = contactFieldJsonValue(value);
  }
  return { id: row.id, name: row.name, phone: row.phone, waUserId: row.waUserId, createdAt: row.createdAt.toISOString(), fields };
}

export interface ContactQuery {
  q?: string;
  /** The raw query string parameters; the `field.<key>` ones filter. */
  query: Record<string, unknown>;
}

/** Contacts and their custom field values, of the caller's business only. */
export function createContactsRepository(deps: { prisma: PrismaClient; clock: Clock }) {
  const { prisma } = deps;

  function whereOf(tenant: TenantContext, filter: ContactQuery, fields: ContactField[]): Prisma.ContactWhereInput {
    const conditions: Prisma.ContactWhereInput[] = contactFieldFilters(filter.query, fields);
    if (filter.q) {
      const contains = { contains: likeLiteral(filter.q), mode: 'insensitive' } as const;
      conditions.push({ OR: [{ name: contains }, { phone: contains }, { waUserId: contains }] });
    }
    return { businessId: tenant.businessId, AND: conditions };
  }

  async function page(where: Prisma.ContactWhereInput, cursor: string | undefined, limit: number) {
    const rows = await prisma.contact.findMany({
      where: { AND: [where, afterCursor('createdAt', cursor ? decodeCursor(cursor) : null, { nullable: false })] },
      include: withFieldValues,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null };
  }

  async function contactExists(tenant: TenantContext, contactId: string): Promise<void> {
    if ((await prisma.contact.count({ where: { id: contactId, businessId: tenant.businessId } })) === 0) throw notFound('Contact');
  }

  async function fieldValues(tenant: TenantContext, contactId: string): Promise<ContactFieldValueView[]> {
    const [fields, stored] = await Promise.all([
      listContactFields(prisma, tenant.businessId),
      prisma.contactFieldValue.findMany({ where: { businessId: tenant.businessId, contactId } }),
    ]);
    const byField = new Map(stored.map((row) => [row.fieldId, row]));
    return fields.map((field) => {
      const row = byField.get(field.id);
      const value = row ? contactFieldValueOf(field.type, row) : null;
      return {
        key: field.key,
        label: field.label,
        type: field.type,
        options: field.options,
        value: value === null ? null : contactFieldJsonValue(value),
        setBy: row?.setBy ?? null,
        setByUserId: row?.setByUserId ?? null,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    });
  }

  return {
    /** Newest contacts first. */
    async list(tenant: TenantContext, filter: ContactQuery & { cursor?: string; limit: number }) {
      const fields = await listContactFields(prisma, tenant.businessId);
      const result = await page(whereOf(tenant, filter, fields), filter.cursor, filter.limit);
      return { items: result.items.map(toListItem), nextCursor: result.nextCursor };
    },

    /**
     * For the CSV export: the fields (validated filters first, so a bad filter is a 400 before any byte is sent),
     * then the matching contacts in pages, so memory stays bounded whatever the business's size.
     */
    async exportContacts(tenant: TenantContext, filter: ContactQuery) {
      const fields = await listContactFields(prisma, tenant.businessId);
      const where = whereOf(tenant, filter, fields);
      async function* batches(size = 500): AsyncGenerator<ContactListItem[]> {
        let cursor: string | undefined;
        do {
          const result = await page(where, cursor, size);
          yield result.items.map(toListItem);
          cursor = result.nextCursor ?? undefined;
        } while (cursor);
      }
      return { fields, batches };
    },

    async fieldValues(tenant: TenantContext, contactId: string): Promise<ContactFieldValueView[]> {
      await contactExists(tenant, contactId);
      return fieldValues(tenant, contactId);
    },

    /** Validates every value first (one 400 lists every problem, nothing is stored), then saves them in one transaction. */
    async updateFieldValues(tenant: TenantContext, contactId: string, input: UpdateContactFieldValuesInput): Promise<ContactFieldValueView[]> {
      await contactExists(tenant, contactId);
      const byKey = new Map((await listContactFields(prisma, tenant.businessId)).map((field) => [field.key, field]));
      const problems: Array<{ path: string; message: string }> = [];
      const changes: ContactFieldChange[] = [];
      for (const [key, raw] of Object.entries(input.values)) {
        const path = `body.values.${key}`;
        const field = byKey.get(key);
        if (!field) {
          problems.push({ path, message: 'no contact field has this key' });
          continue;
        }
        if (raw === null) {
          changes.push({ field, value: null });
          continue;
        }
        const parsed = parseContactFieldValue(field, raw);
        if (parsed.ok) changes.push({ field, value: parsed.value });
        else problems.push({ path, message: parsed.error });
      }
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', problems);
      await prisma.$transaction((transaction) =>
        saveContactFieldValues(transaction, {
          businessId: tenant.businessId,
          contactId,
          changes,
          setBy: 'OPERATOR',
          setByUserId: tenant.userId,
          now: deps.clock.now(),
        }),
      );
      return fieldValues(tenant, contactId);
    },
  };
}
