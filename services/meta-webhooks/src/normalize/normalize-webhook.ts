import type { DeliveryStatus } from '@app/domain';
import type { z } from 'zod';
import {
  changeSchema,
  contactSchema,
  entrySchema,
  envelopeSchema,
  messageSchema,
  messagesValueSchema,
  metaErrorSchema,
  statusSchema,
  type MetaContact,
  type MetaMessage,
} from './meta-webhook.schema.ts';
import { defined, normalizeContent } from './normalize-content.ts';
import { normalizeErrors, stripPlus, unixSecondsToIso } from './normalize-values.ts';
import type { MetaIdentity, NormalizationProblem, NormalizedInboundMessage, NormalizedItem, NormalizedWebhook } from './normalized-webhook.ts';

const deliveryStatuses: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'played', 'failed'];

/**
 * A parsed Cloud API webhook body → domain items. Pure. Every entry, change, message and status is visited; a
 * malformed one is reported in `problems` and skipped, never fatal to the rest of the batch.
 */
export function normalizeMetaWebhook(payload: unknown): NormalizedWebhook {
  const result: NormalizedWebhook = { items: [], problems: [], ignored: [] };
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) {
    result.problems.push({ path: '$', reason: describeZodError(envelope.error) });
    return result;
  }
  if (envelope.data.object !== 'whatsapp_business_account') {
    result.ignored.push({ path: '$', field: `object:${envelope.data.object}` });
    return result;
  }
  envelope.data.entry.forEach((rawEntry, entryIndex) => {
    const entryPath = `entry[${entryIndex}]`;
    const entry = parseOrReport(entrySchema, rawEntry, entryPath, result.problems);
    if (!entry) return;
    entry.changes.forEach((rawChange, changeIndex) => {
      const changePath = `${entryPath}.changes[${changeIndex}]`;
      const change = parseOrReport(changeSchema, rawChange, changePath, result.problems);
      if (!change) return;
      if (change.field !== 'messages') {
        result.ignored.push({ path: changePath, field: change.field });
        return;
      }
      normalizeMessagesValue(change.value, `${changePath}.value`, entry.id, result);
    });
  });
  return result;
}

function normalizeMessagesValue(rawValue: unknown, path: string, wabaId: string | undefined, result: NormalizedWebhook) {
  const value = parseOrReport(messagesValueSchema, rawValue, path, result.problems);
  if (!value) return;
  const routing = { phoneNumberId: value.metadata.phone_number_id, ...defined({ wabaId }) };
  const contacts = (value.contacts ?? []).flatMap((raw, index) => {
    const contact = parseOrReport(contactSchema, raw, `${path}.contacts[${index}]`, result.problems);
    return contact ? [contact] : [];
  });

  (value.messages ?? []).forEach((raw, index) => {
    const itemPath = `${path}.messages[${index}]`;
    const message = parseOrReport(messageSchema, raw, itemPath, result.problems);
    if (!message) return;
    try {
      result.items.push(normalizeMessage(message, contacts, routing));
    } catch (error) {
      result.problems.push({ path: itemPath, reason: (error as Error).message });
    }
  });

  (value.statuses ?? []).forEach((raw, index) => {
    const itemPath = `${path}.statuses[${index}]`;
    const status = parseOrReport(statusSchema, raw, itemPath, result.problems);
    if (!status) return;
    const normalizedStatus = status.status.toLowerCase() as DeliveryStatus;
    if (!deliveryStatuses.includes(normalizedStatus)) {
      result.problems.push({ path: itemPath, reason: `status ${JSON.stringify(status.status)} is not handled` });
      return;
    }
    try {
      result.items.push({
        type: 'status',
        ...routing,
        providerMessageId: status.id,
        status: normalizedStatus,
        at: unixSecondsToIso(status.timestamp),
        recipient: defined({
          phone: status.recipient_id === undefined ? undefined : stripPlus(status.recipient_id),
          userId: status.recipient_user_id,
        }),
        errors: normalizeErrors(status.errors ?? []),
        ...defined({ pricingCategory: status.pricing?.category, pricingType: status.pricing?.type }),
      });
    } catch (error) {
      result.problems.push({ path: itemPath, reason: (error as Error).message });
    }
  });

  if (value.errors && value.errors.length > 0) {
    const errors = value.errors.flatMap((raw, index) => {
      const error = parseOrReport(metaErrorSchema, raw, `${path}.errors[${index}]`, result.problems);
      return error ? [error] : [];
    });
    if (errors.length > 0) result.items.push({ type: 'error', ...routing, errors: normalizeErrors(errors) });
  }
}

function normalizeMessage(
  message: MetaMessage,
  contacts: MetaContact[],
  routing: { phoneNumberId: string; wabaId?: string },
): NormalizedInboundMessage {
  const phone = message.from === undefined ? undefined : stripPlus(message.from);
  const contact = findContact(contacts, phone, message.from_user_id);
  const sender: MetaIdentity = defined({
    phone: phone ?? (contact?.wa_id === undefined ? undefined : stripPlus(contact.wa_id)),
    userId: message.from_user_id ?? contact?.user_id,
    parentUserId: message.from_parent_user_id ?? contact?.parent_user_id,
    profileName: contact?.profile?.name,
  });
  if (!sender.phone && !sender.userId) throw new Error('message has no sender phone or user id');
  const referral = message.referral ? defined(message.referral) : undefined;
  return {
    type: 'message',
    ...routing,
    providerMessageId: message.id,
    sentAt: unixSecondsToIso(message.timestamp),
    sender,
    metaType: message.type,
    content: normalizeContent(message),
    ...(referral && Object.keys(referral).length > 0 ? { referral: referral as Record<string, string> } : {}),
  };
}

/** The contact entry describing this sender: by phone, then by BSUID, then the only one there is. */
function findContact(contacts: MetaContact[], phone: string | undefined, userId: string | undefined) {
  return (
    (phone ? contacts.find((contact) => contact.wa_id !== undefined && stripPlus(contact.wa_id) === phone) : undefined) ??
    (userId ? contacts.find((contact) => contact.user_id === userId) : undefined) ??
    (contacts.length === 1 ? contacts[0] : undefined)
  );
}

function parseOrReport<T extends z.ZodType>(schema: T, value: unknown, path: string, problems: NormalizationProblem[]) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.infer<T>;
  problems.push({ path, reason: describeZodError(parsed.error) });
  return undefined;
}

function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

export type { NormalizedItem };
