// `npm run bench:ingest` — Cloud API webhook ingestion of the standalone platform on real PostgreSQL, next to its floor.
//
// Creates a fresh database and, in the same run:
//  1. the FLOOR: a plain node:http server (scripts/bench/floor-server.ts) that checks the same HMAC and does one
//     single-row INSERT per message into the same database with the same pool size: what the hardware allows;
//  2. the PLATFORM as its own process (like `npm start`, AI off so ingestion and the conversation actors run), with
//     businesses and one Cloud API instance each created DIRECTLY IN THE DATABASE, driven as hard as `concurrency`
//     allows; then the same platform PACED at `pacedRate` messages/s offered, for the acknowledgement latency.
// Every message is its own signed webhook from many distinct customers, to 127.0.0.1 only. Afterwards it counts the
// stored messages (lost = acknowledged − stored) and waits until every message reached its conversation actor (no
// outbox rows left, every message id in an actor's state). Targets on a 2-core machine: ≥ 0.7× the floor and
// ≥ 2,000 msg/s, p99 < 50 ms at 1,000 msg/s offered, 0 lost.
//
//   npm run bench:ingest -- --messages=20000 --concurrency=50 --senders=5000 --businesses=4 --pacedRate=1000
//   npm run bench:ingest -- --floor=0                            (the platform alone)
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
  sleep,
  startServerProcess,
  verdict,
  waitFor,
  type ServerProcess,
  type SignedWebhook,
} from './bench/bench-support.ts';

const options = readOptions({
  messages: 20_000,
  warmup: 1_000,
  concurrency: 50,
  senders: 5_000,
  businesses: 4,
  /** Seconds: sending stops after this even if not every message was sent. */
  duration: 120,
  /** Seconds allowed for the actors to take every message after the last acknowledgement. */
  drainTimeout: 180,
  bufferSeconds: 2,
  /** The platform's (and the floor's) DATABASE_POOL_SIZE. */
  poolSize: 20,
  /** 1: measure the floor server first, in the same run. */
  floor: 1,
  /** Messages per second offered in the paced phase (0: no paced phase), and how many. */
  pacedRate: 1_000,
  pacedMessages: 10_000,
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
if (options.statementLog)
  await database.prisma.$executeRawUnsafe(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET log_min_duration_statement = 0`);
if (options.cpuProfile) mkdirSync(options.cpuProfile, { recursive: true });

// Tenants straight in the database: the API's sign-up path is not what this measures.
const phoneNumberIds: string[] = [];
for (let index = 0; index < options.businesses; index++) {
  const business = await database.prisma.business.create({ data: { name: `Bench shop ${index}` } });
  await database.prisma.agentConfig.create({
    data: { businessId: business.id, bufferSeconds: options.bufferSeconds, maxBufferSeconds: options.bufferSeconds * 3 },
  });
  const phoneNumberId = String(1_065_403_500_000 + index);
  await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: `Cloud API ${index}`, phoneNumberId } });
  phoneNumberIds.push(phoneNumberId);
}

// Every body and signature is built before the clock starts, so the generator spends its time sending.
function webhooks(prefix: string, count: number): SignedWebhook[] {
  return Array.from({ length: count }, (_, index) => {
    const sender = index % options.senders;
    const payload = metaTextMessageWebhook({
      phoneNumberId: phoneNumberIds[sender % phoneNumberIds.length],
      from: String(5_215_500_000_000 + sender),
      name: `Customer ${sender}`,
      id: `wamid.bench-${prefix}-${index}`,
      text: `Message ${index}: ¿tienen zapatos rojos en talla 38? 👟`,
    });
    return signedWebhook(payload, appSecret);
  });
}

interface Phase {
  acknowledged: number;
  failed: number;
  latenciesMs: number[];
  elapsedMs: number;
}

/** Closed loop: `concurrency` requests in flight, each sent as soon as the previous one was answered. */
async function drive(post: (webhook: SignedWebhook) => Promise<number>, bodies: SignedWebhook[], deadline: number): Promise<Phase> {
  const phase: Phase = { acknowledged: 0, failed: 0, latenciesMs: [], elapsedMs: 0 };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let index = next++; index < bodies.length && Date.now() < deadline; index = next++) {
        await timed(post, bodies[index]!, phase);
      }
    }),
  );
  return finish(phase, started);
}

/** Open loop: request i leaves at start + i / rate whatever the earlier ones do (no coordinated omission). */
async function drivePaced(post: (webhook: SignedWebhook) => Promise<number>, bodies: SignedWebhook[], rate: number): Promise<Phase> {
  const phase: Phase = { acknowledged: 0, failed: 0, latenciesMs: [], elapsedMs: 0 };
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < bodies.length; index++) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(timed(post, bodies[index]!, phase, due));
  }
  await Promise.all(inFlight);
  return finish(phase, started);
}

async function timed(post: (webhook: SignedWebhook) => Promise<number>, body: SignedWebhook, phase: Phase, due?: number): Promise<void> {
  const sent = due ?? performance.now();
  const status = await post(body).catch(() => 0);
  if (status === 200) {
    phase.acknowledged++;
    phase.latenciesMs.push(performance.now() - sent);
  } else phase.failed++;
}

function finish(phase: Phase, started: number): Phase {
  phase.elapsedMs = performance.now() - started;
  phase.latenciesMs.sort((a, b) => a - b);
  return phase;
}

const fixed = (value: number) => value.toFixed(1);
const rateOf = (phase: Phase) => (phase.acknowledged / phase.elapsedMs) * 1000;
const latencies = (phase: Phase) =>
  `p50 ${fixed(percentile(phase.latenciesMs, 0.5))} ms, p90 ${fixed(percentile(phase.latenciesMs, 0.9))} ms, p99 ${fixed(percentile(phase.latenciesMs, 0.99))} ms, max ${fixed(phase.latenciesMs.at(-1) ?? Number.NaN)} ms`;

function startServer(entry: string | undefined, profile: boolean): Promise<ServerProcess> {
  return startServerProcess(
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
    { cpuProfileDir: profile && options.cpuProfile ? options.cpuProfile : undefined, entry },
  );
}

const port = await freePort();
const post = createWebhookPoster(port, Math.max(options.concurrency, 1_000));
const lines = ['== bench:ingest — signed Cloud API webhooks → PostgreSQL: the floor, then the standalone platform (separate processes)', ...machine];
lines.push(
  `parameters: ${options.messages} messages (+${options.warmup} warm-up) per phase, one webhook each, ${options.concurrency} concurrent requests, ` +
    `${options.senders} customers over ${options.businesses} businesses/instances (tenants created directly in the database), AI off, server: ${options.server}, ` +
    `DATABASE_POOL_SIZE ${options.poolSize}; paced phase ${options.pacedMessages} messages at ${options.pacedRate}/s offered`,
);

// 1. The floor.
let floorRate = Number.NaN;
if (options.floor) {
  const floor = await startServer('scripts/bench/floor-server.ts', false);
  await drive(post, webhooks('floor-warm', options.warmup), Date.now() + options.duration * 1000);
  const meter = cpuMeter(floor.pid, database.url);
  const phase = await drive(post, webhooks('floor', options.messages), Date.now() + options.duration * 1000);
  const cpu = meter({ count: phase.acknowledged, unit: 'message' });
  await floor.stop();
  floorRate = rateOf(phase);
  lines.push(
    `FLOOR (node:http + HMAC + one single-row INSERT per message): ${Math.round(floorRate)} msg/s, ${latencies(phase)}, failed ${phase.failed}`,
    `  ${cpu}`,
  );
}

// 2. The platform, as hard as it goes, then paced.
const server = await startServer(options.server === 'ingest-only' ? 'scripts/bench/ingest-only-server.ts' : undefined, true);
const warm = await drive(post, webhooks('warm', options.warmup), Date.now() + options.duration * 1000);
const meter = cpuMeter(server.pid, database.url);
const wholeMeter = cpuMeter(server.pid, database.url);
const measured = await drive(post, webhooks('run', options.messages), Date.now() + options.duration * 1000);
const cpu = meter({ count: measured.acknowledged, unit: 'message' });

const drainedOf = async () => (await database.prisma.outboxDelivery.count()) === 0;
let paced: Phase | undefined;
let pacedCpu = '';
if (options.pacedRate > 0 && options.server === 'platform') {
  // The paced phase starts from an idle platform: what the actors still had to do from the saturated phase is done.
  await waitFor(drainedOf, options.drainTimeout * 1000);
  const pacedMeter = cpuMeter(server.pid, database.url);
  paced = await drivePaced(post, webhooks('paced', options.pacedMessages), options.pacedRate);
  pacedCpu = pacedMeter({ count: paced.acknowledged, unit: 'message' });
}
const lastAcknowledgedAt = performance.now();

const acknowledged = warm.acknowledged + measured.acknowledged + (paced?.acknowledged ?? 0);
const stored = await database.prisma.message.count({ where: { direction: 'INBOUND' } });
const conversations = await database.prisma.conversation.count();
// Every message reached its actor: nothing left in the outbox for any group, and each message id is in the state
// of its conversation's actor (the actor remembers up to 500 ids per conversation).
const drained = await waitFor(drainedOf, options.drainTimeout * 1000);
const drainMs = performance.now() - lastAcknowledgedAt;
const wholeCpu = wholeMeter({ count: acknowledged - warm.acknowledged, unit: 'message, ingestion and actors until drained' });
const stuck = await database.prisma.outboxDelivery.count();
const seenRows = await database.prisma.$queryRaw<{ seen: bigint | null; actors: bigint }[]>`
  SELECT sum(jsonb_array_length(value->'seenMessageIds')) AS seen, count(*) AS actors FROM actor_state WHERE key = 'conversation'`;
const seen = Number(seenRows[0]?.seen ?? 0);
const actors = Number(seenRows[0]?.actors ?? 0);
await server.stop();
await database.drop();

const rate = rateOf(measured);
const ratio = rate / floorRate;
const lost = acknowledged - stored;
const pacedP99 = paced ? percentile(paced.latenciesMs, 0.99) : Number.NaN;
lines.push(
  `PLATFORM: sent ${measured.acknowledged + measured.failed} in ${fixed(measured.elapsedMs / 1000)} s, acknowledged 200: ${measured.acknowledged}, failed: ${measured.failed}`,
  `  throughput: ${Math.round(rate)} msg/s   target ≥ 2,000 msg/s  ${verdict(rate >= 2000)}`,
  options.floor ? `  ratio to the floor: ${ratio.toFixed(2)}×   target ≥ 0.7×  ${verdict(ratio >= 0.7)}` : '',
  `  acknowledgement latency at saturation: ${latencies(measured)}`,
  `  while acknowledging: ${cpu}`,
  paced
    ? `PACED at ${options.pacedRate} msg/s offered: ${paced.acknowledged} acknowledged at ${Math.round(rateOf(paced))} msg/s, failed ${paced.failed}; ${latencies(paced)}   target p99 < 50 ms  ${verdict(pacedP99 < 50)}\n  ${pacedCpu}`
    : '',
  `lost: ${lost} (acknowledged ${acknowledged} incl. warm-up, stored ${stored}, conversations ${conversations})   target 0  ${verdict(lost === 0)}`,
  options.server === 'ingest-only'
    ? 'actors: not running (ingest-only server)'
    : `actors: ${drained ? 'drained' : 'NOT drained'} ${fixed(drainMs / 1000)} s after the last acknowledgement; outbox rows left ${stuck}; message ids in actor state ${seen} of ${stored}, actors ${actors}`,
  `until drained: ${wholeCpu}`,
  options.cpuProfile ? `CPU profile of the platform written to ${options.cpuProfile}` : '',
);
console.log(lines.filter(Boolean).join('\n'));
process.exit(lost === 0 && (options.server === 'ingest-only' || (drained && seen === stored)) ? 0 : 1);
