// `npm run bench:ai` — AI replies per minute of the standalone platform, the test LLM answering after 1 s.
//
// Creates a fresh database, starts the OpenAI double (latencyMs) and the Graph API double in this process and the
// platform as its own process (like `npm start`), creates businesses with one Cloud API (META) instance each
// DIRECTLY IN THE DATABASE (access token sealed with the platform's CREDENTIALS_KEY), then opens `conversations`
// conversations with one signed webhook each. Every reply takes the whole path: webhook → message → actor → buffer
// flush → AI worker → model → reply stored → actor → egress → Graph API double. Counts replies the Graph double
// ACCEPTED (sent) per minute in steady state (between 10 % and 90 % of them) and the end-to-end latency from posting
// the inbound webhook to the reply reaching the double. Target: ≥ 10,000 replies/min.
//
//   npm run bench:ai -- --conversations=6000 --workerConcurrency=300 --latencyMs=1000 --bufferSeconds=1
//
// `--toolRounds=N`: the agent has one tool (consultar_stock, an HTTP call to this process) and the model double asks
// for it N times before answering, each model call taking latencyMs: N + 1 model calls and N tool calls per reply.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase } from '@app/db/testing';
import { SecretBox } from '@app/db';
import { metaTextMessageWebhook, startGraphApiServer } from '@app/testkit/meta-graph';
import { createOpenAiTestServer } from '@app/testkit/openai';
import { spawn } from 'node:child_process';
import {
  cpuMeter,
  createWebhookPoster,
  describeMachine,
  freePort,
  percentile,
  postgresCpuSeconds,
  readOptions,
  signedWebhook,
  startServerProcess,
  verdict,
  waitFor,
} from './bench/bench-support.ts';

const options = readOptions({
  conversations: 6_000,
  businesses: 4,
  /** Webhooks posted at once while opening the conversations. */
  concurrency: 16,
  /** Inbound webhooks per second (0 = as fast as the concurrency allows). */
  rate: 0,
  latencyMs: 1_000,
  bufferSeconds: 1,
  /** The platform's WORKER_CONCURRENCY: AI jobs in flight at once. */
  workerConcurrency: 300,
  /** Seconds allowed for every reply to be sent. */
  duration: 300,
  /** The platform's DATABASE_POOL_SIZE. */
  poolSize: 20,
  /** 1: first measure the floor (scripts/bench/reply-floor.ts: the three statements a reply must cost) in the same database. */
  floor: 1,
  cpuProfile: '',
  logLevel: 'warn',
  /** 1: PostgreSQL logs every statement of the benchmark database with its duration (server log; slows the run). */
  statementLog: 0,
  /** Tool rounds per reply (0: the agent has no tools, one model call per reply). */
  toolRounds: 0,
});
const appSecret = 'bench-app-secret';
const credentialsKey = Buffer.alloc(32, 7).toString('base64');

const database = await createTestDatabase();
const machine = await describeMachine(database);
if (options.statementLog)
  await database.prisma.$executeRawUnsafe(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET log_min_duration_statement = 0`);
// The floor, in its own process: store the inbound, store the reply, mark it sent — three single-row statements per reply.
async function measureFloor(): Promise<{ node: number; postgres: number } | undefined> {
  if (!options.floor) return undefined;
  const postgresBefore = postgresCpuSeconds(database.url);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/reply-floor.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(options.poolSize),
      REPLIES: String(options.conversations),
      CONCURRENCY: '50',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Its last line comes once the work is done; its backends are still open then, so their CPU time can be read.
  const report = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    void exited.then((code) => reject(new Error(`the reply floor exited with ${code}`)));
  });
  const postgres = postgresCpuSeconds(database.url) - postgresBefore;
  child.stdin.end();
  await exited;
  const { cpuSeconds } = JSON.parse(report) as { cpuSeconds: number };
  return { node: cpuSeconds, postgres };
}
const floor = await measureFloor();

const answer = 'Sí, tenemos zapatos rojos en talla 38. ¿Quieres que te aparte un par? 👟';
const openai = await createOpenAiTestServer({
  latencyMs: options.latencyMs,
  // With tool rounds: ask for the stock until the conversation holds `toolRounds` tool results, then answer.
  reply: (request) =>
    request.messages.filter((message) => message.role === 'tool').length < options.toolRounds
      ? { toolCalls: [{ name: 'consultar_stock', arguments: '{"producto":"zapatos rojos","talla":38}' }] }
      : answer,
});
// The tool's backend (the shop's stock API): answers at once.
let toolCalls = 0;
const toolServer = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    toolCalls += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"producto":"zapatos rojos","talla":38,"stock":3}');
  });
});
toolServer.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => toolServer.listen(0, '127.0.0.1', resolve));
const toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}/stock`;
const graph = await startGraphApiServer();
// When the double accepts a send, note the time (the array is the double's own; it is never reset here).
const acceptedAt = new Map<string, number>();
const accepted = graph.accepted;
const originalPush = accepted.push.bind(accepted);
accepted.push = (...items) => {
  for (const item of items) if (item.to && !acceptedAt.has(item.to)) acceptedAt.set(item.to, performance.now());
  return originalPush(...items);
};

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
    CREDENTIALS_KEY: credentialsKey,
    META_APP_SECRET: appSecret,
    META_VERIFY_TOKEN: 'bench-verify-token',
    META_GRAPH_URL: graph.url,
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_API_KEY: 'sk-bench',
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    ...(options.toolRounds > 0 ? { BENCH_TOOL_URL: toolUrl, AI_TOOL_ROUNDS: String(Math.max(5, options.toolRounds)) } : {}),
  },
  { cpuProfileDir: options.cpuProfile || undefined, ...(options.toolRounds > 0 ? { entry: 'scripts/bench/platform-with-bench-tool.ts' } : {}) },
);

// Tenants straight in the database: the API's sign-up path is not what this measures.
const box = SecretBox.fromCredentialsKey(credentialsKey);
const phoneNumberIds: string[] = [];
for (let index = 0; index < options.businesses; index++) {
  const business = await database.prisma.business.create({ data: { name: `Bench shop ${index}` } });
  await database.prisma.agentConfig.create({
    data: {
      businessId: business.id,
      bufferSeconds: options.bufferSeconds,
      maxBufferSeconds: options.bufferSeconds * 3,
      systemPrompt: 'You sell shoes for {{business_name}}.',
    },
  });
  const phoneNumberId = String(1_065_403_500_000 + index);
  const accessToken = `EAAG-bench-token-${index}`;
  const instanceId = randomUUID();
  await database.prisma.instance.create({
    data: {
      id: instanceId,
      businessId: business.id,
      provider: 'META',
      name: `Cloud API ${index}`,
      phoneNumberId,
      encryptedCredentials: box.encrypt(JSON.stringify({ accessToken }), instanceId),
    },
  });
  graph.addPhoneNumber(phoneNumberId, accessToken);
  phoneNumberIds.push(phoneNumberId);
}

const customer = (index: number) => String(5_215_500_000_000 + index);
const bodies = Array.from({ length: options.conversations }, (_, index) => {
  const payload = metaTextMessageWebhook({
    phoneNumberId: phoneNumberIds[index % phoneNumberIds.length],
    from: customer(index),
    name: `Customer ${index}`,
    id: `wamid.bench-ai-${index}`,
    text: '¿Tienen zapatos rojos en talla 38?',
  });
  return signedWebhook(payload, appSecret);
});

const postWebhook = createWebhookPoster(port, options.concurrency);
const post = (index: number) => postWebhook(bodies[index]!);

const postedAt = new Map<string, number>();
let failedPosts = 0;
const meter = cpuMeter(server.pid, database.url);
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: options.concurrency }, async () => {
    for (let index = next++; index < options.conversations; index = next++) {
      if (options.rate > 0) {
        const due = started + (index / options.rate) * 1000;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      }
      const sentAt = performance.now();
      const status = await post(index).catch(() => 0);
      if (status === 200) postedAt.set(customer(index), sentAt);
      else failedPosts++;
    }
  }),
);
const postedMs = performance.now() - started;
const allSent = await waitFor(async () => acceptedAt.size >= postedAt.size, options.duration * 1000 - postedMs, 500);
const cpu = meter({ count: options.conversations, unit: 'reply (whole path)' });
const cpuTotals = meter.totals();
const lastAcceptedMs = Math.max(...acceptedAt.values()) - started;

const times = [...acceptedAt.values()].sort((a, b) => a - b);
const from = percentile(times, 0.1);
const to = percentile(times, 0.9);
const steadyPerMinute = times.length >= 10 && to > from ? ((0.8 * times.length) / ((to - from) / 1000)) * 60 : Number.NaN;
const overallPerMinute = (times.length / (lastAcceptedMs / 1000)) * 60;
const latencies = [...acceptedAt].map(([to, at]) => at - (postedAt.get(to) ?? at)).sort((a, b) => a - b);
const chatCalls = openai.chatRequests().length;
const sentInDatabase = await database.prisma.message.count({ where: { author: 'AI', status: 'SENT' } });
const duplicates = graph.accepted.length - acceptedAt.size;

await server.stop();
toolServer.closeAllConnections();
await Promise.all([openai.close(), graph.close(), new Promise((resolve) => toolServer.close(resolve))]);
await database.drop();

const seconds = (ms: number) => (ms / 1000).toFixed(1);
console.log(
  [
    '== bench:ai — Cloud API webhook → actor buffer → AI worker → OpenAI double → Graph API double (platform in its own process)',
    ...machine,
    `parameters: ${options.conversations} conversations with one message each over ${options.businesses} businesses/META instances (tenants created directly in the database), ` +
      `LLM latency ${options.latencyMs} ms per model call, ${options.toolRounds} tool round(s) per reply, bufferSeconds ${options.bufferSeconds}, WORKER_CONCURRENCY ${options.workerConcurrency}, DATABASE_POOL_SIZE ${options.poolSize}, ` +
      `webhooks ${options.rate > 0 ? `at ${options.rate}/s` : `as fast as ${options.concurrency} at a time allow`}`,
    `inbound: ${postedAt.size} acknowledged in ${seconds(postedMs)} s, ${failedPosts} failed`,
    `replies sent (accepted by the Graph double): ${acceptedAt.size} of ${postedAt.size}${allSent ? '' : ' (TIMED OUT)'}, last after ${seconds(lastAcceptedMs)} s; ` +
      `model calls ${chatCalls}; tool calls ${toolCalls}; AI replies SENT in the database ${sentInDatabase}; duplicate sends ${duplicates}`,
    `throughput: ${Math.round(steadyPerMinute)} replies/min in steady state (10–90 % of replies), ${Math.round(overallPerMinute)}/min overall   target ≥ 10,000/min  ${verdict(steadyPerMinute >= 10_000)}`,
    `end-to-end latency (webhook posted → reply at the Graph double; includes the ${options.bufferSeconds} s buffer and ${options.latencyMs} ms model): ` +
      `p50 ${seconds(percentile(latencies, 0.5))} s, p90 ${seconds(percentile(latencies, 0.9))} s, p99 ${seconds(percentile(latencies, 0.99))} s, max ${seconds(latencies.at(-1) ?? Number.NaN)} s`,
    cpu,
    floor ? floorLine(floor) : '',
    options.cpuProfile ? `CPU profile of the platform written to ${options.cpuProfile}` : '',
  ]
    .filter(Boolean)
    .join('\n'),
);
function floorLine(measured: { node: number; postgres: number }): string {
  const perReply = (seconds: number) => (seconds * 1000) / options.conversations;
  const floorMs = perReply(measured.node) + perReply(measured.postgres);
  const platformMs = perReply(cpuTotals.server) + perReply(cpuTotals.postgres);
  return (
    `FLOOR (store the inbound, store the reply, mark it sent: three single-row statements per reply, node + pg): ` +
    `${perReply(measured.node).toFixed(2)} ms Node + ${perReply(measured.postgres).toFixed(2)} ms PostgreSQL per reply\n` +
    `  platform CPU per reply ${platformMs.toFixed(2)} ms = ${(platformMs / floorMs).toFixed(1)}× the floor (${floorMs.toFixed(2)} ms)`
  );
}

process.exit(allSent && duplicates === 0 ? 0 : 1);
