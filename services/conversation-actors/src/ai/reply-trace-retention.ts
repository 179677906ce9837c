import type { PrismaClient } from '@app/db';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';

/**
 * Deletes reply traces, and the recorded model and tool calls of the tool loop, older than `before`. Idempotent and
 * safe to run on every replica at once (plain deletes by age): no leader is needed in Kubernetes mode.
 */
export async function pruneReplyTraces(prisma: PrismaClient, before: Date): Promise<number> {
  const [traces, rounds, calls] = await prisma.$transaction([
    prisma.replyTrace.deleteMany({ where: { createdAt: { lt: before } } }),
    prisma.aiReplyRound.deleteMany({ where: { createdAt: { lt: before } } }),
    prisma.aiToolCall.deleteMany({ where: { startedAt: { lt: before } } }),
  ]);
  return traces.count + rounds.count + calls.count;
}

/** Prunes now and then every `intervalMs` (default hourly), in whichever process hosts the AI workers. */
export function startReplyTracePruning(deps: { prisma: PrismaClient; clock: Clock; logger: Logger; retentionDays: number; intervalMs?: number }): {
  stop(): void;
} {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const before = new Date(deps.clock.now().getTime() - deps.retentionDays * 24 * 60 * 60 * 1000);
      const pruned = await pruneReplyTraces(deps.prisma, before);
      if (pruned > 0) deps.logger.info({ event: 'reply_traces.pruned', pruned }, 'expired reply traces deleted');
    } catch (error) {
      deps.logger.warn({ event: 'reply_traces.prune_failed', err: error }, 'pruning reply traces failed; retried next period');
    }
    if (!stopped) {
      timer = setTimeout(() => void run(), deps.intervalMs ?? 3_600_000);
      timer.unref();
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
