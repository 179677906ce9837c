import { enqueueEvent, type PrismaClient } from '@app/db';
import { ContactBotToggled } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import type { ContactView, UpdateContactInput } from './contacts.schema.ts';

/** The per-contact bot switch: the row and `contact.bot-toggled` (which the conversation actors follow) commit together. */
export async function toggleContactBot(
  deps: { prisma: PrismaClient; clock: Clock },
  tenant: TenantContext,
  contactId: string,
  input: UpdateContactInput,
): Promise<ContactView> {
  const now = deps.clock.now();
  const until = input.botDisabled && input.until ? new Date(input.until) : null;
  if (until && until.getTime() <= now.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', [{ path: 'body.until', message: 'must be in the future' }]);
  }
  const contact = await deps.prisma.$transaction(async (transaction) => {
    const { count } = await transaction.contact.updateMany({
      where: { id: contactId, businessId: tenant.businessId },
      data: { botDisabled: input.botDisabled, botDisabledUntil: until },
    });
    if (count === 0) throw notFound('Contact');
    await enqueueEvent(
      transaction,
      ContactBotToggled.topic,
      ContactBotToggled.create(
        { businessId: tenant.businessId, contactId, botDisabled: input.botDisabled, until: until?.toISOString() ?? null, reason: 'operator_toggle' },
        { occurredAt: now },
      ),
      { key: contactId },
    );
    return transaction.contact.findUniqueOrThrow({ where: { id: contactId } });
  });
  return {
    id: contact.id,
    name: contact.name,
    phone: contact.phone,
    waUserId: contact.waUserId,
    botDisabled: contact.botDisabled,
    botDisabledUntil: contact.botDisabledUntil?.toISOString() ?? null,
    updatedAt: contact.updatedAt.toISOString(),
  };
}
