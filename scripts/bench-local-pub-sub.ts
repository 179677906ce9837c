// Throughput of the standalone outbox pub/sub on real PostgreSQL: producers write events the way services do
// (enqueueEvent inside their own transaction, one event per transaction, 16 at a time) while the local pub/sub
// delivers them to two subscriber groups. Prints producer and end-to-end delivery rates.
//
// With `backlog`, the events are written first and then the time to drain the backlog is measured: the
// dispatcher's own capacity, without producers competing for the two cores.
//
//   npx tsx scripts/bench-local-pub-sub.ts [events=20000] [keys=2000] [live|backlog]
import { enqueueEvent } from '@app/db';
import { createTestDatabase } from '@app/db/testing';
import pino from 'pino';
import { createLocalPubSub } from '../packages/runtime/src/local/local-pub-sub.ts';

const seconds = (ms: number) => ms / 1000;
const total = Number(process.argv[2] ?? 20_000);
const keys = Number(process.argv[3] ?? 2_000);
const mode = process.argv[4] ?? 'live';
const producers = 16;
const database = await createTestDatabase();
const createPubSub = () => createLocalPubSub({ prisma: database.prisma, logger: pino({ level: 'warn' }) });
let pubSub = createPubSub();
const delivered = { first: 0, second: 0 };
let lastDeliveredAt = 0;
function subscribe() {
  pubSub.subscribe({ topic: 'bench.events', group: 'first', handler: async () => void (delivered.first++, (lastDeliveredAt = Date.now())) });
  pubSub.subscribe({ topic: 'bench.events', group: 'second', handler: async () => void (delivered.second++, (lastDeliveredAt = Date.now())) });
}
subscribe();
await pubSub.start();
if (mode === 'backlog') await pubSub.stop();

let startedAt = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: producers }, async () => {
    for (let index = next++; index < total; index = next++) {
      const event = { id: `event-${index}`, type: 'bench.happened', occurredAt: new Date().toISOString(), data: { index } };
      await database.prisma.$transaction((transaction) => enqueueEvent(transaction, 'bench.events', event, { key: `key-${index % keys}` }));
      pubSub.wake();
    }
  }),
);
const producedAt = Date.now();
if (mode === 'backlog') {
  console.log(`backlog of ${total} events written in ${seconds(producedAt - startedAt).toFixed(2)} s`);
  pubSub = createPubSub();
  subscribe();
  startedAt = Date.now();
  await pubSub.start();
}
while (delivered.first < total || delivered.second < total) await new Promise((resolve) => setTimeout(resolve, 20));
console.log(`events: ${total}, keys: ${keys}, producers: ${producers}, groups: 2`);
if (mode === 'live') console.log(`produce: ${Math.round(total / seconds(producedAt - startedAt))} events/s (one transaction each)`);
console.log(
  `end-to-end: every event delivered to both groups in ${seconds(lastDeliveredAt - startedAt).toFixed(2)} s = ${Math.round(total / seconds(lastDeliveredAt - startedAt))} events/s (${Math.round((2 * total) / seconds(lastDeliveredAt - startedAt))} deliveries/s)`,
);
if (mode === 'live') console.log(`delivery lag after the last publish: ${lastDeliveredAt - producedAt} ms`);
await pubSub.stop();
await database.drop();
