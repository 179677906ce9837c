import type { DomainEvent } from '@app/domain';
import type { Transaction } from '../database.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export interface EnqueueEventOptions {
  /** Ordering key: events with the same key are delivered in order (e.g. the conversation id). */
  key?: string;
}

/**
 * The transactional outbox: writes `event` for `topic` inside the caller's transaction, so it is published if and
 * only if the change that caused it commits. Delivery is the pub/sub adapter's job (packages/runtime).
 */
export async function enqueueEvent(
  transaction: Transaction,
  topic: string,
  event: DomainEvent,
  options: EnqueueEventOptions = {},
): Promise<{ outboxId: bigint }> {
  const row = await transaction.outboxEvent.create({
    data: { topic, key: options.key ?? null, payload: event as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  return { outboxId: row.id };
}
