import type { PrismaClient, SecretBox } from '@app/db';
import type { Logger } from '@app/runtime/service';
import { proto } from '@whiskeysockets/baileys';
import type { TimerHandle, Timers } from '../session/timers.ts';

/** How long a sent message can still be resent to a device that asks for it (phones come back after days offline). */
export const sentMessageRetentionMs = 14 * 86_400_000;

export interface SentMessageRepository {
  /** Keeps what Baileys needs to resend a message we sent (its protobuf content), sealed, for the retention period. */
  remember(input: { businessId: string; instanceId: string; messageId: string; message: proto.IMessage }): Promise<void>;
  /** The content of a message this instance sent within the retention period, or undefined. */
  find(instanceId: string, messageId: string, now?: Date): Promise<proto.IMessage | undefined>;
  /** Deletes what is older than the retention period; returns how many rows went. */
  prune(now?: Date): Promise<number>;
}

/**
 * `baileys_sent_message`: Baileys' `getMessage` answers retry receipts from here once its own 5-minute,
 * 512-message cache (per socket) has forgotten the message. Rows belong to an instance (and its business) and go
 * with it; the content is sealed with the SecretBox bound to the instance and message id.
 */
export function createSentMessageRepository(deps: { prisma: PrismaClient; secretBox: SecretBox }): SentMessageRepository {
  const associatedData = (instanceId: string, messageId: string) => `baileys-sent:${instanceId}:${messageId}`;
  return {
    async remember({ businessId, instanceId, messageId, message }) {
      const encoded = Buffer.from(proto.Message.encode(proto.Message.create(message)).finish()).toString('base64');
      const content = deps.secretBox.encrypt(encoded, associatedData(instanceId, messageId));
      await deps.prisma.baileysSentMessage.upsert({
        where: { instanceId_messageId: { instanceId, messageId } },
        create: { businessId, instanceId, messageId, content },
        update: { content },
      });
    },
    async find(instanceId, messageId, now = new Date()) {
      const row = await deps.prisma.baileysSentMessage.findFirst({
        where: { instanceId, messageId, createdAt: { gt: new Date(now.getTime() - sentMessageRetentionMs) } },
        select: { content: true },
      });
      if (!row) return undefined;
      const encoded = deps.secretBox.decrypt(row.content, associatedData(instanceId, messageId));
      return proto.Message.decode(Buffer.from(encoded, 'base64'));
    },
    async prune(now = new Date()) {
      const { count } = await deps.prisma.baileysSentMessage.deleteMany({
        where: { createdAt: { lte: new Date(now.getTime() - sentMessageRetentionMs) } },
      });
      return count;
    },
  };
}

/** Deletes expired sent messages now and then every `intervalMs` (default hourly); `stop` ends it. */
export function startSentMessagePruning(deps: { repository: SentMessageRepository; timers: Timers; logger: Logger; intervalMs?: number }): {
  stop(): void;
} {
  let timer: TimerHandle | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const pruned = await deps.repository.prune(deps.timers.now());
      if (pruned > 0) deps.logger.info({ event: 'baileys_sent_messages.pruned', pruned }, 'expired sent messages deleted');
    } catch (error) {
      deps.logger.warn({ event: 'baileys_sent_messages.prune_failed', err: error }, 'pruning sent messages failed; retried next period');
    }
    if (!stopped) timer = deps.timers.setTimeout(() => void run(), deps.intervalMs ?? 3_600_000);
  };
  void run();
  return {
    stop() {
      stopped = true;
      deps.timers.clearTimeout(timer);
    },
  };
}
