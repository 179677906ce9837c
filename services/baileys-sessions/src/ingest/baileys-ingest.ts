import { applyDeliveryStatus, recordInboundMessage, type PrismaClient } from '@app/db';
import { describeContent } from '@app/domain';
import type { Logger } from '@app/runtime/service';
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { isUndecryptablePlaceholder, mapInboundMessage, type BaileysInboundChange, type BaileysInboundItem } from '../baileys/map-inbound-message.ts';
import { accountRestrictedCode, mapReceipt } from '../baileys/map-receipt.ts';
import type { BaileysMediaDownloads } from '../media/baileys-media-downloads.ts';
import { mediaSourceOf, type MediaSource } from '../media/media-source.ts';
import { applyMessageChange, changeAsSystemContent, type MessageChangeOutcome } from './message-change.repository.ts';
import { delay, systemTimers, type Timers } from '../session/timers.ts';
import { BoundedCache } from '../memory/bounded-cache.ts';

export interface BaileysIngestDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Groups are ignored unless allowed. */
  allowGroups?: boolean;
  /** Called after something was stored (the local pub/sub wakes up instead of waiting for its poll). */
  onStored?: () => void;
  timers?: Timers;
  /** Attempts per message before giving up on a database error (default 5, backoff 1 s, 2 s, 4 s …). */
  maxAttempts?: number;
  /** Media go to the object store through this; without it media are stored as metadata only. */
  media?: BaileysMediaDownloads;
  /** A send was refused with 463 (the account is restricted). */
  onRestriction?: (instanceId: string) => void;
}

export interface BaileysIngest {
  onMessages(instanceId: string, upsert: BaileysEventMap['messages.upsert']): void;
  onMessageUpdates(instanceId: string, updates: BaileysEventMap['messages.update']): void;
  /** Resolves when everything received so far is processed (tests, shutdown). */
  idle(): Promise<void>;
  readonly counters: {
    stored: number;
    duplicates: number;
    ignored: Record<string, number>;
    statusesApplied: number;
    failed: number;
    /** Undecryptable messages whose real content arrived later (a resend). */
    placeholdersReplaced: number;
    /** Edits and deletes by outcome. */
    changes: Partial<Record<MessageChangeOutcome, number>>;
  };
}

/**
 * Socket events → the shared message repositories: every customer message through `recordInboundMessage`
 * (stored once per instance + message id, contact found by phone or LID and completed as identifiers are learnt),
 * receipts of our messages through `applyDeliveryStatus` (monotonic). Per instance, events are handled in arrival
 * order; a database error is retried with backoff instead of dropping the message.
 */
export function createBaileysIngest(deps: BaileysIngestDependencies): BaileysIngest {
  const timers = deps.timers ?? systemTimers;
  const maxAttempts = deps.maxAttempts ?? 5;
  const queues = new Map<string, Promise<void>>();
  // An instance's business never changes; bounded so deleted instances do not pile up in a long-lived process.
  const businessOf = new BoundedCache<string>({ maxEntries: 10_000, ttlMs: 24 * 3_600_000 });
  const counters: BaileysIngest['counters'] = {
    stored: 0,
    duplicates: 0,
    ignored: {},
    statusesApplied: 0,
    failed: 0,
    placeholdersReplaced: 0,
    changes: {},
  };

  function enqueue(instanceId: string, work: () => Promise<void>): void {
    const previous = queues.get(instanceId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      deps.logger.error({ event: 'baileys_ingest.failed', instanceId, err: error }, 'processing socket events failed');
    });
    queues.set(instanceId, next);
  }

  async function withRetry<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= maxAttempts) {
          counters.failed += 1;
          throw error;
        }
        deps.logger.warn({ event: 'baileys_ingest.retry', what, attempt, err: error }, 'storing failed; retrying');
        await delay(timers, 1_000 * 2 ** (attempt - 1));
      }
    }
  }

  async function businessIdOf(instanceId: string): Promise<string | null> {
    const cached = businessOf.get(instanceId);
    if (cached) return cached;
    const instance = await deps.prisma.instance.findUnique({ where: { id: instanceId }, select: { businessId: true } });
    if (instance) businessOf.set(instanceId, instance.businessId);
    return instance?.businessId ?? null;
  }

  async function store(instanceId: string, businessId: string, item: BaileysInboundItem, source: MediaSource | null = null): Promise<void> {
    const media = source && 'media' in item.content ? deps.media : undefined;
    const input = {
      businessId,
      instanceId,
      sender: { phone: item.sender.phone, lid: item.sender.lid, name: item.sender.name },
      providerMessageId: item.providerMessageId,
      sentAt: new Date(item.sentAt),
      content: item.content,
      extra: { chatJid: item.chatJid, ...(item.groupJid ? { groupJid: item.groupJid } : {}) },
      // The download row commits with the message: a crash or a failed download never loses the file's trail.
      ...(media && source ? { mediaDownload: (messageId: string) => media.pendingDownload({ messageId, source }) } : {}),
    };
    const result = await withRetry('message', () => recordInboundMessage(deps.prisma, input));
    if (result.duplicate) {
      counters.duplicates += 1;
      if (!isUndecryptablePlaceholder(item.content)) await withRetry('resent', () => replacePlaceholder(instanceId, item));
    } else {
      counters.stored += 1;
      media?.kick(result.messageId);
    }
  }

  /** The sender's device resent a message we could only store as "could not be decrypted": the real content wins. */
  async function replacePlaceholder(instanceId: string, item: BaileysInboundItem): Promise<void> {
    const stored = await deps.prisma.message.findFirst({
      where: { instanceId, providerMessageId: item.providerMessageId, direction: 'INBOUND' },
      select: { id: true, content: true },
    });
    if (!stored || !isUndecryptablePlaceholder(stored.content)) return;
    const content = { ...item.content, chatJid: item.chatJid, ...(item.groupJid ? { groupJid: item.groupJid } : {}) };
    await deps.prisma.message.update({ where: { id: stored.id }, data: { kind: item.content.kind, text: describeContent(item.content), content } });
    counters.placeholdersReplaced += 1;
  }

  async function change(instanceId: string, businessId: string, item: BaileysInboundChange): Promise<void> {
    const outcome = await withRetry('change', () => applyMessageChange(deps.prisma, { businessId, instanceId, change: item }));
    counters.changes[outcome] = (counters.changes[outcome] ?? 0) + 1;
    if (outcome === 'target-unknown') {
      // The original was never stored here: keep the edit or delete as a message of its own rather than drop it.
      const { change: _change, ...rest } = item;
      await store(instanceId, businessId, { ...rest, content: changeAsSystemContent(item.change) });
    }
  }

  return {
    counters,
    onMessages(instanceId, upsert) {
      enqueue(instanceId, async () => {
        const businessId = await withRetry('instance', () => businessIdOf(instanceId));
        if (!businessId) return;
        let stored = false;
        for (const message of upsert.messages) {
          const mapped = mapInboundMessage(message, { allowGroups: deps.allowGroups ?? false });
          if (mapped.type === 'ignored') {
            counters.ignored[mapped.reason] = (counters.ignored[mapped.reason] ?? 0) + 1;
            continue;
          }
          if (mapped.type === 'change') await change(instanceId, businessId, mapped.item);
          else await store(instanceId, businessId, mapped.item, deps.media ? mediaSourceOf(message) : null);
          stored = true;
        }
        if (stored) deps.onStored?.();
      });
    },
    onMessageUpdates(instanceId, updates) {
      enqueue(instanceId, async () => {
        let applied = false;
        for (const update of updates) {
          const receipt = mapReceipt(update);
          if (!receipt) continue;
          if (receipt.errorCode === accountRestrictedCode) deps.onRestriction?.(instanceId);
          const errors = receipt.errorCode ? [{ code: receipt.errorCode, message: errorMessageOf(receipt.errorCode) }] : undefined;
          const outcome = await withRetry('receipt', () =>
            applyDeliveryStatus(deps.prisma, {
              instanceId,
              providerMessageId: receipt.providerMessageId,
              status: receipt.status,
              ...(receipt.at ? { at: receipt.at } : {}),
              ...(errors ? { errors } : {}),
            }),
          );
          if (outcome.applied) {
            counters.statusesApplied += 1;
            applied = true;
          }
        }
        if (applied) deps.onStored?.();
      });
    },
    async idle() {
      for (;;) {
        const pending = [...queues.values()];
        await Promise.all(pending);
        if ([...queues.values()].every((queue, index) => queue === pending[index])) return;
      }
    },
  };
}

function errorMessageOf(code: number): string {
  return code === accountRestrictedCode
    ? 'WhatsApp restricts this account (463): new chats are blocked for now; not resent, retrying makes it worse.'
    : `WhatsApp refused the message (error ${code}).`;
}
