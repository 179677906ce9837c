// What the Baileys session host costs per session: process RSS with N sessions of the fake socket, each with real
// auth state in PostgreSQL (Baileys' own keys, sealed), the lease renewals, the watchdog, the sending governor and
// inbound traffic flowing through the ingest into the database. `npm run bench:baileys` (see docs/benchmarks.md).
//
//   --steps=0,50,200      session counts to measure, in one process, cumulatively
//   --messages=20         inbound messages per session per step (text, and a reply sent through the governor)
//   --preKeys=100         signal pre-keys stored per session (real key pairs)
//   --contacts=5000       contacts of the history sync whose auth-state write is timed (two LID-mapping rows each)
//   --repeats=3           runs of each auth-state write (the median is reported)
//
// It also times the two big auth-state writes of a number's life, each one `keys.set` batch into PostgreSQL (the
// default store): a first login's pre-keys (Baileys' INITIAL_PREKEY_COUNT, 812) and a history sync's LID mappings.
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SecretBox } from '@app/db';
import { createTestDatabase } from '@app/db/testing';
import { MessageSendRequested, Topics } from '@app/domain';
import { createLocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { baileysSessionsConfigSchema, createBaileysSessions, createPostgresAuthStateStore, loadAuthenticationState } from '@app/baileys-sessions';
import { Curve, INITIAL_PREKEY_COUNT, initAuthCreds, signedKeyPair, type WAMessage } from '@whiskeysockets/baileys';
import { FakeSocketFactory } from '../services/baileys-sessions/test/support/fake-socket.ts';
import { describeMachine, readOptions } from './bench/bench-support.ts';

const options = readOptions({ steps: '0,50,200', messages: 20, preKeys: 100, contacts: 5_000, repeats: 3 });
const steps = options.steps
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const megabytes = (bytes: number) => bytes / 2 ** 20;
async function settledRss(): Promise<number> {
  for (let round = 0; round < 4; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return process.memoryUsage().rss;
}

const logger = createLogger({ service: 'bench-baileys', level: 'silent' });
const database = await createTestDatabase();
const { prisma } = database;
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const config = baileysSessionsConfigSchema.parse({
  BAILEYS_AUTH_STORE: 'postgres',
  BAILEYS_START_STAGGER_MS: '0',
  BAILEYS_MIN_GAP_PER_RECIPIENT_MS: '0',
  BAILEYS_TYPING: 'false',
  BAILEYS_MAX_PER_MINUTE: '1000',
  BAILEYS_NEW_CONTACTS_PER_DAY: '1000',
});
const factory = new FakeSocketFactory();
const pubsub = createLocalPubSub({ prisma, logger, pollIntervalMs: 50 });
const service = createBaileysSessions({ prisma, logger, secretBox, pubsub, config, socketFactory: factory, onStored: () => pubsub.wake() });
const authStore = createPostgresAuthStateStore(prisma);
const business = await prisma.business.create({ data: { name: 'Bench' } });

/** A paired session's auth state written the way Baileys writes it: creds, signed pre-key, pre-keys. */
async function pairedInstance(slot: number): Promise<string> {
  const instance = await prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: `bench ${slot}`, slot } });
  const auth = await loadAuthenticationState({ store: authStore, instanceId: instance.id, secretBox });
  const creds = initAuthCreds();
  Object.assign(auth.state.creds, creds, {
    registered: true,
    account: { details: randomBytes(32), accountSignatureKey: randomBytes(32), accountSignature: randomBytes(64), deviceSignature: randomBytes(64) },
    me: { id: `55119${String(slot).padStart(8, '0')}:3@s.whatsapp.net`, lid: `${9000000 + slot}:3@lid`, name: 'Bench' },
    signedPreKey: signedKeyPair(creds.signedIdentityKey, 1),
  });
  const preKeys: Record<string, ReturnType<typeof Curve.generateKeyPair>> = {};
  for (let id = 1; id <= options.preKeys; id++) preKeys[String(id)] = Curve.generateKeyPair();
  await auth.state.keys.set({ 'pre-key': preKeys });
  await auth.saveCreds();
  return instance.id;
}

let messageCounter = 0;
/** Inbound texts from one customer per session, each answered with a reply through the egress and its governor. */
async function traffic(instanceIds: string[]): Promise<void> {
  for (const instanceId of instanceIds) {
    const socket = factory.live(instanceId)[0];
    if (!socket) throw new Error(`no open socket for ${instanceId}`);
    const messages: WAMessage[] = [];
    for (let index = 0; index < options.messages; index++) {
      messages.push({
        key: {
          remoteJid: `55218${String(messageCounter % 100000).padStart(5, '0')}1@s.whatsapp.net`,
          fromMe: false,
          id: `BENCH${String(messageCounter++).padStart(12, '0')}`,
        },
        messageTimestamp: Math.floor(Date.now() / 1000),
        pushName: 'Cliente',
        message: { conversation: `Olá, mensagem ${index} — vocês abrem amanhã?` },
      } as WAMessage);
    }
    socket.emit('messages.upsert', { type: 'notify', messages });
  }
  await service.ingest.idle();
  for (const instanceId of instanceIds) {
    const conversation = await prisma.conversation.findFirst({ where: { instanceId }, include: { contact: true } });
    if (!conversation) continue;
    const reply = await prisma.message.create({
      data: {
        businessId: business.id,
        conversationId: conversation.id,
        instanceId,
        direction: 'OUTBOUND',
        author: 'AI',
        kind: 'text',
        text: 'Abrimos às 8h.',
        content: { kind: 'text', text: 'Abrimos às 8h.' },
        status: 'PENDING',
        sentAt: new Date(),
      },
    });
    await pubsub.publish(
      Topics.messagesOutbound,
      MessageSendRequested.create({
        businessId: business.id,
        instanceId,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        messageId: reply.id,
        provider: 'BAILEYS',
        bufferId: null,
      }),
      { key: conversation.id },
    );
  }
  pubsub.wake();
  const deadline = Date.now() + 300_000;
  while ((await prisma.message.count({ where: { businessId: business.id, direction: 'OUTBOUND', status: 'PENDING' } })) > 0) {
    if (Date.now() > deadline) throw new Error('replies did not go out within 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Median milliseconds of `repeats` runs of one auth-state batch, each on a new instance (first login, first sync). */
let authBenchSlot = 100_000;
async function timedAuthWrite(
  label: string,
  batch: () => Parameters<Awaited<ReturnType<typeof loadAuthenticationState>>['state']['keys']['set']>[0],
) {
  const times: number[] = [];
  for (let run = 0; run < options.repeats; run++) {
    const instance = await prisma.instance.create({
      data: { businessId: business.id, provider: 'BAILEYS', name: `${label} ${run}`, slot: authBenchSlot++ },
    });
    const auth = await loadAuthenticationState({ store: authStore, instanceId: instance.id, secretBox });
    const data = batch();
    const startedAt = performance.now();
    await auth.state.keys.set(data);
    times.push(performance.now() - startedAt);
    await prisma.instance.delete({ where: { id: instance.id } });
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, maxMs: times.at(-1)! };
}

const lines = await describeMachine(database);
const authWrites = [
  await timedAuthWrite(`first login: ${INITIAL_PREKEY_COUNT} pre-keys`, () => ({
    'pre-key': Object.fromEntries(Array.from({ length: INITIAL_PREKEY_COUNT }, (_, index) => [String(index + 1), Curve.generateKeyPair()])),
  })),
  await timedAuthWrite(`history sync: ${options.contacts} contacts (${options.contacts * 2} LID-mapping rows)`, () => {
    const mappings: Record<string, string> = {};
    for (let contact = 0; contact < options.contacts; contact++) {
      mappings[String(5511900000000 + contact)] = String(100000000000000 + contact);
      mappings[`${100000000000000 + contact}_reverse`] = String(5511900000000 + contact);
    }
    return { 'lid-mapping': mappings };
  }),
];
await service.start();
await pubsub.start();
const baseline = await settledRss();
const results: { sessions: number; rssMb: number; perSessionMb: number; heapMb: number }[] = [];
const running: string[] = [];
for (const target of steps) {
  const added: string[] = [];
  while (running.length + added.length < target) added.push(await pairedInstance(running.length + added.length));
  for (const instanceId of added) await service.host.restart(instanceId);
  running.push(...added);
  const openBy = Date.now() + 60_000;
  for (;;) {
    // WhatsApp's side: each new socket completes its (skipped) handshake and opens.
    for (const id of running) if (service.host.session(id)?.status().state === 'connecting') factory.live(id).at(-1)?.open();
    const open = running.filter((id) => service.host.session(id)?.status().state === 'open').length;
    if (open === running.length) break;
    if (Date.now() > openBy)
      throw new Error(
        `${open} of ${running.length} sessions open: ${JSON.stringify(service.host.session(running[0]!)?.status())} sockets ${factory.sockets.length}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (running.length > 0) await traffic(running);
  const rss = await settledRss();
  results.push({
    sessions: running.length,
    rssMb: megabytes(rss),
    perSessionMb: running.length > 0 ? megabytes(rss - baseline) / running.length : 0,
    heapMb: megabytes(process.memoryUsage().heapUsed),
  });
}

console.log(lines.join('\n'));
console.log(`auth-state writes into PostgreSQL, one keys.set batch each (sealed), median of ${options.repeats}:`);
console.log('| batch | median (ms) | min (ms) | max (ms) |');
console.log('|---|---:|---:|---:|');
for (const write of authWrites)
  console.log(`| ${write.label} | ${write.medianMs.toFixed(0)} | ${write.minMs.toFixed(0)} | ${write.maxMs.toFixed(0)} |`);
console.log(`baseline (service started, no session): ${megabytes(baseline).toFixed(1)} MB RSS`);
console.log(`pre-keys per session: ${options.preKeys}; inbound messages per session per step: ${options.messages} (+1 reply each)`);
console.log('| sessions | RSS (MB) | heap used (MB) | (RSS − baseline) / sessions (MB) |');
console.log('|---:|---:|---:|---:|');
for (const row of results) {
  console.log(`| ${row.sessions} | ${row.rssMb.toFixed(1)} | ${row.heapMb.toFixed(1)} | ${row.sessions ? row.perSessionMb.toFixed(2) : '–'} |`);
}
const stored = await prisma.message.count({ where: { businessId: business.id } });
console.log(
  `messages stored: ${stored}; watchdog recycles: ${running.reduce((sum, id) => sum + Object.values(service.host.session(id)?.status().watchdogRecycles ?? {}).reduce((a, b) => a + b, 0), 0)}`,
);

await service.stop();
await pubsub.stop();
await database.drop();
