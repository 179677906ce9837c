import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { describeActorHostContract, type ActorHostHarnessOptions } from '@app/runtime/test-support';
import type { ActorHost } from '../ports/actor-host.ts';
import { createLocalActorHost } from './local-actor-host.ts';

const logger = pino({ level: 'silent' });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describeActorHostContract('local host on PostgreSQL', async (options: ActorHostHarnessOptions) => {
  async function startHost(): Promise<ActorHost> {
    const host = createLocalActorHost({
      prisma: database.prisma,
      logger,
      reminderRetry: options.reminderRetry,
      reminderPollIntervalMs: 200,
      duplicateReminderDeliveries: options.duplicateReminderDeliveries,
    });
    for (const definition of options.definitions) host.register(definition);
    await host.start();
    return host;
  }
  let host = await startHost();
  const harness = {
    host,
    async restart() {
      await host.stop();
      host = await startHost();
      harness.host = host;
      return host;
    },
    async publishedEventIds() {
      const rows = await database.prisma.outboxEvent.findMany({ select: { payload: true } });
      return rows.map((row) => (row.payload as { id: string }).id);
    },
    async reminderNames(actorType: string, actorId: string) {
      const rows = await database.prisma.actorReminder.findMany({ where: { actorType, actorId }, select: { name: true } });
      return rows.map((row) => row.name);
    },
    close: () => host.stop(),
  };
  return harness;
});
