import { describeContent, MessageContentChanged, messagePreview, type MessageContent, type MessageEdit } from '@app/domain';
import { enqueueEvent, type PrismaClient } from '@app/db';
import { textOfEdit } from '../baileys/map-message-content.ts';
import type { BaileysInboundChange } from '../baileys/map-inbound-message.ts';

export type MessageChangeOutcome =
  /** The original message row was changed. */
  | 'applied'
  /** This edit or delete was applied before (a redelivery): nothing changed. */
  | 'duplicate'
  /** A newer edit (or a delete) is already applied: the text stays; a delete is final. */
  | 'stale'
  /** The sender is not the author of the message (only the author may edit or delete it). */
  | 'not-author'
  /** The original is not stored (sent before the session, say): the caller records the change as a message. */
  | 'target-unknown';

const mediaKinds = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * An edit or delete-for-everyone → the ORIGINAL message row, within the instance's business only (tenant-scoped),
 * under a row lock so two deliveries cannot interleave. An edit replaces the text (or a media caption) and appends
 * the previous text to `content.editHistory` (keyed by the edit's own id: applied once); `content.editedAt` is the
 * latest edit. A delete sets `content.deletedAt` and keeps the row (the console shows it as deleted). An applied
 * change publishes `message.content-changed` in the same transaction, so open consoles show it at once.
 */
export async function applyMessageChange(
  prisma: PrismaClient,
  input: { businessId: string; instanceId: string; change: BaileysInboundChange },
): Promise<MessageChangeOutcome> {
  const { change: item } = input;
  const { change } = item;
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM message
      WHERE "businessId" = ${input.businessId}::uuid AND "instanceId" = ${input.instanceId}::uuid
        AND "providerMessageId" = ${change.targetProviderMessageId}::text
      FOR UPDATE`;
    const id = locked[0]?.id;
    if (!id) return 'target-unknown';
    const target = await tx.message.findUniqueOrThrow({
      where: { id },
      select: {
        kind: true,
        text: true,
        content: true,
        direction: true,
        sentAt: true,
        conversationId: true,
        conversation: { select: { contact: { select: { phone: true, lid: true } } } },
      },
    });
    // The inbox list previews the newest message: when that is the one changed, so is the preview.
    const updatePreview = (description: string) =>
      tx.conversation.updateMany({
        where: { id: target.conversationId, businessId: input.businessId, lastMessageAt: target.sentAt },
        data: { lastMessagePreview: messagePreview(description) },
      });
    const announce = (kind: 'edited' | 'deleted') =>
      enqueueEvent(
        tx,
        MessageContentChanged.topic,
        MessageContentChanged.create(
          { businessId: input.businessId, conversationId: target.conversationId, messageId: id, change: kind },
          { id: `message.content-changed:${item.providerMessageId}` },
        ),
        { key: target.conversationId },
      );
    const contact = target.conversation.contact;
    const sameSender = (!!item.sender.phone && contact.phone === item.sender.phone) || (!!item.sender.lid && contact.lid === item.sender.lid);
    if (target.direction !== 'INBOUND' || !sameSender) return 'not-author';

    const content = (target.content ?? {}) as Record<string, unknown>;
    const history = Array.isArray(content['editHistory']) ? (content['editHistory'] as MessageEdit[]) : [];
    if (change.type === 'revoke') {
      if (typeof content['deletedAt'] === 'string') return 'duplicate';
      await tx.message.update({ where: { id }, data: { content: { ...content, deletedAt: item.sentAt } } });
      await updatePreview('[message deleted]');
      await announce('deleted');
      return 'applied';
    }

    if (history.some((edit) => edit.providerMessageId === item.providerMessageId)) return 'duplicate';
    const at = change.editedAt ?? item.sentAt;
    if (typeof content['deletedAt'] === 'string') return 'stale';
    if (typeof content['editedAt'] === 'string' && content['editedAt'] > at) return 'stale';

    const newText = textOfEdit(change.content);
    let updated: Record<string, unknown>;
    let previousText: string;
    if (target.kind === 'text') {
      previousText = typeof content['text'] === 'string' ? (content['text'] as string) : (target.text ?? '');
      updated = { ...content, text: newText };
    } else if (mediaKinds.has(target.kind)) {
      const media = (content['media'] ?? {}) as Record<string, unknown>;
      previousText = typeof media['caption'] === 'string' ? (media['caption'] as string) : '';
      updated = { ...content, media: { ...media, caption: newText } };
    } else {
      // Only texts and captions can be edited in WhatsApp; anything else is left alone.
      return 'stale';
    }
    const edit: MessageEdit = { providerMessageId: item.providerMessageId, at, previousText };
    updated = { ...updated, editedAt: at, editHistory: [...history, edit] };
    const description = describeContent(updated as MessageContent);
    await tx.message.update({ where: { id }, data: { content: updated as object, text: description } });
    await updatePreview(description);
    await announce('edited');
    return 'applied';
  });
}

/** How a change of an unknown message is kept anyway: as a system message naming it (nothing is dropped). */
export function changeAsSystemContent(change: BaileysInboundChange['change']): MessageContent {
  const context = { providerMessageId: change.targetProviderMessageId };
  if (change.type === 'revoke') return { kind: 'system', systemType: 'revoked', text: 'message deleted', context };
  return { kind: 'system', systemType: 'edited', text: textOfEdit(change.content), context };
}
