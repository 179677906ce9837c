import { markOutboundFailed, type PrismaClient } from '@app/db';
import type { Logger } from '@app/runtime/service';
import type { TimerHandle, Timers } from '../session/timers.ts';

export const sendOutcomeUnknownCode = 'BAILEYS_SEND_OUTCOME_UNKNOWN';

export interface StuckSendSweepOptions {
  prisma: PrismaClient;
  /** This host's lease holder name: an instance whose live lease another host holds is that host's business. */
  hostId: string;
  /** Slots this host runs; null = every slot (standalone). */
  slots: number[] | null;
  /** Messages this process is sending right now (waiting in the governor can take minutes): never touched. */
  inFlight: ReadonlySet<string>;
  /** A message SENDING for longer than this, and not in flight here, is stuck. */
  thresholdMs: number;
  /** How often to look (the first look is at start). */
  intervalMs: number;
  timers: Timers;
  logger: Logger;
}

/** At most this many messages per pass (a pass soon after repeats while more are left). */
const batchSize = 200;

/**
 * A BAILEYS message is SENDING from its claim until the socket answered. When the process died in between, nobody
 * knows whether WhatsApp got it, and it would stay SENDING forever. This sweep makes it visible instead: a message of
 * this host's slots SENDING for longer than `thresholdMs`, not being sent by this process, and whose instance no
 * other live host holds, becomes FAILED `BAILEYS_SEND_OUTCOME_UNKNOWN`. It is never resent (at most once); the
 * operator sees it failed and may send it again. Runs at start and every `intervalMs`.
 */
export function createStuckSendSweep(options: StuckSendSweepOptions) {
  const { prisma, timers, logger } = options;
  let timer: TimerHandle | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  async function sweep(): Promise<number> {
    const now = timers.now();
    const cutoff = new Date(now.getTime() - options.thresholdMs);
    const slots = options.slots ?? [];
    const stuck = await prisma.$queryRaw<{ id: string; instanceId: string }[]>`
SELECT m.id::text AS id, m."instanceId"::text AS "instanceId"
FROM instance i
JOIN message m ON m."instanceId" = i.id
WHERE i.provider = 'BAILEYS' AND (${options.slots === null} OR i.slot = ANY(${slots}::int[]))
  AND m.status = 'SENDING' AND m.direction = 'OUTBOUND' AND m."statusAt" < ${cutoff}
  AND NOT EXISTS (
    SELECT 1 FROM baileys_session_lease l WHERE l."instanceId" = i.id AND l.holder <> ${options.hostId} AND l."expiresAt" > ${now})
ORDER BY m."statusAt"
LIMIT ${batchSize}`;
    let failed = 0;
    for (const message of stuck) {
      if (options.inFlight.has(message.id)) continue;
      // Still the same stuck claim (not released and claimed again meanwhile), locked while it is marked.
      const changed = await prisma.$transaction(async (transaction) => {
        const [still] = await transaction.$queryRaw<{ id: string }[]>`
SELECT id::text FROM message WHERE id = ${message.id}::uuid AND status = 'SENDING' AND "statusAt" < ${cutoff} FOR UPDATE`;
        if (!still) return false;
        return markOutboundFailed(transaction, {
          messageId: message.id,
          code: sendOutcomeUnknownCode,
          message: `Send outcome unknown: the message was handed to WhatsApp more than ${Math.round(options.thresholdMs / 1_000)} s ago and no answer was recorded (the process probably stopped). Not resent; check the chat on the phone and send it again if needed.`,
          now,
        });
      });
      if (changed) {
        failed += 1;
        logger.warn(
          { event: 'baileys_egress.send_outcome_unknown', instanceId: message.instanceId, messageId: message.id },
          'a send whose outcome is unknown was marked failed',
        );
      }
    }
    return failed;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = timers.setTimeout(() => {
      running = sweep()
        .catch((error: unknown) =>
          logger.warn({ event: 'baileys_egress.stuck_sweep_failed', err: error }, 'stuck-send sweep failed; retried next period'),
        )
        .finally(() => schedule(options.intervalMs));
    }, delayMs);
  }

  return {
    sweep,
    start(): void {
      stopped = false;
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      timers.clearTimeout(timer);
      await running;
    },
  };
}

export type StuckSendSweep = ReturnType<typeof createStuckSendSweep>;
