import { listContactFields, type ContactField, type PrismaClient } from '@app/db';
import { contactFieldLimits, normalizeEnumOptions } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { ContactFieldView, CreateContactFieldInput, UpdateContactFieldInput } from './contact-fields.schema.ts';

export function toContactFieldView(field: ContactField): ContactFieldView {
  return {
    id: field.id,
    key: field.key,
    label: field.label,
    type: field.type,
    options: field.options,
    description: field.description,
    position: field.position,
    createdAt: field.createdAt.toISOString(),
    updatedAt: field.updatedAt.toISOString(),
  };
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'The request body is invalid.', [{ path, message }]);
}

/** ENUM needs options; the other types take none. */
function optionsFor(type: ContactField['type'], options: string[] | undefined): string[] {
  if (type !== 'ENUM') {
    if (options && options.length > 0) throw invalid('body.options', 'only an ENUM field has options');
    return [];
  }
  const normalized = normalizeEnumOptions(options ?? []);
  if (!normalized.ok) throw invalid('body.options', normalized.error);
  return normalized.options;
}

/** The business's field definitions. Deleting one deletes its values (foreign key cascade). */
export function createContactFieldsRepository(prisma: PrismaClient) {
  async function find(tenant: TenantContext, id: string): Promise<ContactField> {
    const field = await prisma.contactField.findFirst({ where: { id, businessId: tenant.businessId } });
    if (!field) throw notFound('Contact field');
    return field;
  }

  return {
    async list(tenant: TenantContext): Promise<ContactFieldView[]> {
      return (await listContactFields(prisma, tenant.businessId)).map(toContactFieldView);
    },

    async create(tenant: TenantContext, input: CreateContactFieldInput): Promise<ContactFieldView> {
      const options = optionsFor(input.type, input.options);
      const count = await prisma.contactField.count({ where: { businessId: tenant.businessId } });
      if (count >= contactFieldLimits.fieldsPerBusiness) {
        throw new AppError('CONFLICT', `A business can define at most ${contactFieldLimits.fieldsPerBusiness} contact fields.`, {
          reason: 'too_many_fields',
        });
      }
      try {
        const field = await prisma.contactField.create({
          data: {
            businessId: tenant.businessId,
            key: input.key,
            label: input.label,
            type: input.type,
            options,
            description: input.description ?? '',
            position: input.position ?? count,
          },
        });
        return toContactFieldView(field);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A contact field with the key "${input.key}" already exists.`, { field: 'key' });
        throw error;
      }
    },

    /**
     * Key and type never change (stored values and automations depend on them). An ENUM option may be respelled
     * (case only: stored values follow) or removed when no contact has it; removing one in use is a 409.
     */
    async update(tenant: TenantContext, id: string, input: UpdateContactFieldInput): Promise<ContactFieldView> {
      const field = await find(tenant, id);
      const options = input.options === undefined ? undefined : optionsFor(field.type, input.options);
      const updated = await prisma.$transaction(async (transaction) => {
        if (options && field.type === 'ENUM') {
          const kept = new Map(options.map((option) => [option.toLowerCase(), option]));
          const inUse = await transaction.contactFieldValue.groupBy({
            by: ['textValue'],
            where: { businessId: tenant.businessId, fieldId: field.id },
          });
          const removed = inUse.map((row) => row.textValue).filter((value): value is string => value !== null && !kept.has(value.toLowerCase()));
          if (removed.length > 0) {
            throw new AppError('CONFLICT', `Contacts still have ${removed.map((value) => `"${value}"`).join(', ')}; change their value first.`, {
              reason: 'option_in_use',
              options: removed,
            });
          }
          for (const row of inUse) {
            const spelling = row.textValue === null ? undefined : kept.get(row.textValue.toLowerCase());
            if (spelling !== undefined && spelling !== row.textValue) {
              await transaction.contactFieldValue.updateMany({
                where: { businessId: tenant.businessId, fieldId: field.id, textValue: row.textValue },
                data: { textValue: spelling },
              });
            }
          }
        }
        return transaction.contactField.update({
          where: { id: field.id },
          data: {
            ...(input.label !== undefined ? { label: input.label } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.position !== undefined ? { position: input.position } : {}),
            ...(options !== undefined ? { options } : {}),
          },
        });
      });
      return toContactFieldView(updated);
    },

    async remove(tenant: TenantContext, id: string): Promise<void> {
      const { count } = await prisma.contactField.deleteMany({ where: { id, businessId: tenant.businessId } });
      if (count === 0) throw notFound('Contact field');
    },
  };
}
