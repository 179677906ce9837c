// `npm run bench:ingest` — Cloud API webhook ingestion of the standalone platform on real PostgreSQL.
//
// Creates a fresh database, starts the platform as its own process (like `npm start`, AI off so only ingestion and the
// conversation actors run), creates businesses with one Cloud API instance each DIRECTLY IN THE DATABASE, then posts
// every message as its own signed webhook from many distinct customers, `concurrency` requests at a time, to
// 127.0.0.1 only. Measures each request from send to the 200, counts the stored messages afterwards (lost = acknowledged
// − stored) and waits until every message reached its conversation actor (no outbox rows left, every message id in
// an actor's state). Target on a 2-core machine: ≥ 2,000 msg/s, p99 < 50 ms, 0 lost.
//
//   npm run bench:ingest -- --messages=20000 --concurrency=32 --senders=2000 --businesses=4 --duration=120
//   npm run bench:ingest -- --cpuProfile=/tmp/ingest-profile     (writes a .cpuprofile of the platform process)
import { mkdirSync } from 'node:fs';
import { createTestDatabase } from '@app/db/testing';
import { metaTextMessageWebhook } from '@app/testkit/meta-graph';
import {
  cpuMeter,
  createWebhookPoster,
  describeMachine,
  freePort,
  percentile,
  readOptions,
  signedWebhook,
  startServerProcess,
  verdict,
  waitFor,
} from './bench/bench-support.ts';

const options = readOptions({
  messages: 20_000,
  warmup: 1_000,
  concurrency: 32,
  senders: 2_000,
  businesses: 4,
  /** Seconds: sending stops after this even if not every message was sent. */
  duration: 120,
  /** Seconds allowed for the actors to take every message after the last acknowledgement. */
  drainTimeout: 120,
  bufferSeconds: 2,
  /** The platform's DATABASE_POOL_SIZE. */
  poolSize: 20,
  cpuProfile: '',
  /** `platform` (npm start) or `ingest-only` (the webhook router alone: the ingestion path's own ceiling). */
  server: 'platform',
  logLevel: 'warn',
  /** 1: PostgreSQL logs every statement of the benchmark database with its duration (server log; slows the run). */
  statementLog: 0,
});
const appSecret = 'bench-app-secret';

const database = await createTestDatabase();
const machine = await describeMachine(database);
if (options.statementLog) await database.prisma.$executeRawUnsafe(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET log_min_duration_statement = 0`);
const port = await freePort();
if (options.cpuProfile) mkdirSync(options.cpuProfile, { recursive: true });
const server = await startServerProcess(
  {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(options.poolSize),
    LOG_LEVEL: options.logLevel,
    JWT_SECRET: 'a-bench-jwt-secret-that-is-long-enough-0123456789',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    META_APP_SECRET: appSecret,
    META_VERIFY_TOKEN: 'bench-verify-token',
    META_GRAPH_URL: 'http://127.0.0.1:9/v24.0', // never called: the AI is off, nothing is sent
  },
  { cpuProfileDir: options.cpuProfile || undefined, entry: options.server === 'ingest-only' ? 'scripts/bench/ingest-only-server.ts' : undefined },
);

// Tenants straight in the database: the API's sign-up path is not what this measures.
const phoneNumberIds: string[] = [];
for (let index = 0; index < options.businesses; index++) {
  const business = await database.prisma.business.create({ data: { name: `Bench shop ${index}` } });
  await database.prisma.agentConfig.create({ data: { businessId: business.id, bufferSeconds: options.bufferSeconds, maxBufferSeconds: options.bufferSeconds * 3 } });
  const phoneNumberId = String(1_065_403_500_000 + index);
  await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: `Cloud API ${index}`, phoneNumberId } });
  phoneNumberIds.push(phoneNumberId);
}

// Every body and signature is built before the clock starts, so the generator spends its time sending.
const total = options.warmup + options.messages;
const bodies = Array.from({ length: total }, (_, index) => {
  const sender = index % options.senders;
  const payload = metaTextMessageWebhook({
    phoneNumberId: phoneNumberIds[sender % phoneNumberIds.length],
    from: String(5_215_500_000_000 + sender),
    name: `Customer ${sender}`,
    id: `wamid.bench-${index}`,
    text: `Message ${index}: ¿tienen zapatos rojos en talla 38? 👟`,
  });
  return signedWebhook(payload, appSecret);
});

const postWebhook = createWebhookPoster(port, options.concurrency);
const post = (index: number) => postWebhook(bodies[index]!);

interface Phase {
  acknowledged: number;
  failed: number;
  latenciesMs: number[];
  elapsedMs: number;
}

async function drive(from: number, to: number, deadline: number): Promise<Phase> {
  const phase: Phase = { acknowledged: 0, failed: 0, latenciesMs: [], elapsedMs: 0 };
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let index = next++; index < to && Date.now() < deadline; index = next++) {
        const sent = performance.now();
        const status = await post(index).catch(() => 0);
        const elapsed = performance.now() - sent;
        if (status === 200) {
          phase.acknowledged++;
          phase.latenciesMs.push(elapsed);
        } else phase.failed++;
      }
    }),
  );
  phase.elapsedMs = performance.now() - started;
  phase.latenciesMs.sort((a, b) => a - b);
  return phase;
}

const warm = await drive(0, options.warmup, Date.now() + options.duration * 1000);
const meter = cpuMeter(server.pid, database.url);
const wholeMeter = cpuMeter(server.pid, database.url);
const measured = await drive(options.warmup, total, Date.now() + options.duration * 1000);
const cpu = meter();
const acknowledgedAt = performance.now();

const acknowledged = warm.acknowledged + measured.acknowledged;
const stored = await database.prisma.message.count({ where: { direction: 'INBOUND' } });
const conversations = await database.prisma.conversation.count();
// Every message reached its actor: nothing left in the outbox for any group, and each message id is in the state
// of its conversation's actor (the actor remembers up to 500 ids per conversation).
const drained = await waitFor(async () => (await database.prisma.outboxDelivery.count()) === 0, options.drainTimeout * 1000);
const drainMs = performance.now() - acknowledgedAt;
const wholeCpu = wholeMeter({ count: options.messages, unit: 'message, ingestion and actors until drained' });
const stuck = await database.prisma.outboxDelivery.count();
const seenRows = await database.prisma.$queryRaw<{ seen: bigint | null; actors: bigint }[]>`
  SELECT sum(jsonb_array_length(value->'seenMessageIds')) AS seen, count(*) AS actors FROM actor_state WHERE key = 'conversation'`;
const seen = Number(seenRows[0]?.seen ?? 0);
const actors = Number(seenRows[0]?.actors ?? 0);
await server.stop();
await database.drop();

const rate = (measured.acknowledged / measured.elapsedMs) * 1000;
const p50 = percentile(measured.latenciesMs, 0.5);
const p99 = percentile(measured.latenciesMs, 0.99);
const lost = acknowledged - stored;
const fixed = (value: number) => value.toFixed(1);
console.log(
  [
    '== bench:ingest — signed Cloud API webhooks → standalone platform (separate process) → PostgreSQL',
    ...machine,
    `parameters: ${options.messages} messages (+${options.warmup} warm-up), one webhook each, ${options.concurrency} concurrent requests, ` +
      `${options.senders} customers over ${options.businesses} businesses/instances (tenants created directly in the database), AI off, server: ${options.server}, DATABASE_POOL_SIZE ${options.poolSize}`,
    `sent: ${measured.acknowledged + measured.failed} in ${fixed(measured.elapsedMs / 1000)} s, acknowledged 200: ${measured.acknowledged}, failed: ${measured.failed}`,
    `throughput: ${Math.round(rate)} msg/s                  target ≥ 2,000 msg/s  ${verdict(rate >= 2000)}`,
    `acknowledgement latency: p50 ${fixed(p50)} ms, p90 ${fixed(percentile(measured.latenciesMs, 0.9))} ms, p99 ${fixed(p99)} ms, max ${fixed(measured.latenciesMs.at(-1) ?? Number.NaN)} ms   target p99 < 50 ms  ${verdict(p99 < 50)}`,
    `lost: ${lost} (acknowledged ${acknowledged} incl. warm-up, stored ${stored}, conversations ${conversations})   target 0  ${verdict(lost === 0)}`,
    options.server === 'ingest-only' ? 'actors: not running (ingest-only server)' : `actors: ${drained ? 'drained' : 'NOT drained'} ${fixed(drainMs / 1000)} s after the last acknowledgement; outbox rows left ${stuck}; ` +
      `message ids in actor state ${seen} of ${stored}, actors ${actors}`,
    `while acknowledging: ${cpu}`,
    `until drained: ${wholeCpu}`,
    options.cpuProfile ? `CPU profile of the platform written to ${options.cpuProfile}` : '',
  ]
    .filter(Boolean)
    .join('\n'),
);
process.exit(lost === 0 && (options.server === 'ingest-only' || (drained && seen === stored)) ? 0 : 1);
