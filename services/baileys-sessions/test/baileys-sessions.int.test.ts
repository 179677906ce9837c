import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendRequested, Topics } from '@app/domain';
import { createLocalPubSub, type LocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';

// Generous: the machine is shared and loaded; the conditions themselves settle in milliseconds when idle.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
import { BufferJSON, type WAMessage } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions, type BaileysSessions } from '../src/create-baileys-sessions.ts';
import { FakeSocketFactory } from './support/fake-socket.ts';

const logger = createLogger({ service: 'baileys-sessions-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const fixtures = new URL('../../../packages/testkit/fixtures/baileys/', import.meta.url).pathname;
const config = baileysSessionsConfigSchema.parse({
  BAILEYS_START_STAGGER_MS: '0',
  BAILEYS_MIN_GAP_PER_RECIPIENT_MS: '0',
  BAILEYS_AUTH_STORE: 'postgres',
});

function upsert(name: string): { type: 'notify' | 'append'; messages: WAMessage[] } {
  return JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8'), BufferJSON.reviver);
}

let database: TestDatabase;
let pubsub: LocalPubSub;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function startService(factory: FakeSocketFactory): { service: BaileysSessions; pubsub: LocalPubSub } {
  pubsub = createLocalPubSub({
    prisma: database.prisma,
    logger,
    pollIntervalMs: 20,
    retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 50 },
  });
  const service = createBaileysSessions({
    prisma: database.prisma,
    logger,
    secretBox,
    pubsub,
    config,
    socketFactory: factory,
    onStored: () => pubsub.wake(),
  });
  return { service, pubsub };
}

describe('baileys-sessions end to end (PostgreSQL, local pub/sub, fake socket)', () => {
  it('pairs by QR, stores inbound once with LID ↔ phone kept on one contact, sends through the governor, applies receipts, resumes after a restart', async () => {
    const business = await database.prisma.business.create({ data: { name: 'Padaria' } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'Loja', slot: 0 } });
    const factory = new FakeSocketFactory();
    const { service, pubsub: bus } = startService(factory);
    await service.start();
    await bus.start();

    // Nothing to resume (never paired): no socket until someone asks for the session.
    expect(factory.sockets).toHaveLength(0);
    await service.host.restart(instance.id);
    factory.latest().showQr('2@first-qr');
    expect(await service.host.status(instance.id)).toMatchObject({ state: 'waiting-for-scan', qr: '2@first-qr' });
    factory.latest().completePairing();
    await eventually(() => expect(factory.sockets).toHaveLength(2));
    factory.latest().open();
    expect((await service.host.status(instance.id))?.state).toBe('open');
    await eventually(async () => expect((await database.prisma.instance.findUnique({ where: { id: instance.id } }))?.status).toBe('open'));

    // Inbound: a LID-only sender first, then the same person with the phone; a redelivery; a status broadcast.
    const socket = factory.latest();
    socket.emit('messages.upsert', upsert('text-lid-only-sender'));
    socket.emit('messages.upsert', upsert('text'));
    socket.emit('messages.upsert', upsert('text'));
    socket.emit('messages.upsert', upsert('status-broadcast'));
    socket.emit('messages.upsert', upsert('voice-note'));
    await service.ingest.idle();
    const inbound = await database.prisma.message.findMany({ where: { instanceId: instance.id, direction: 'INBOUND' }, orderBy: { sentAt: 'asc' } });
    expect(inbound.map((message) => message.providerMessageId).sort()).toEqual([
      '3EB0A1B2C3D4E5F60001',
      '3EB0A1B2C3D4E5F60003',
      '3EB0A1B2C3D4E5F60009',
    ]);
    const contacts = await database.prisma.contact.findMany({ where: { businessId: business.id } });
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ lid: '123456789012345', phone: '5511999990001', name: 'Ana Souza' });
    expect(await database.prisma.outboxEvent.count({ where: { topic: Topics.messagesInbound } })).toBe(3);

    // Outbound: a reply requested through the outbox goes out once, after "typing…", and gets WhatsApp's id.
    const conversation = await database.prisma.conversation.findFirstOrThrow({ where: { instanceId: instance.id } });
    const reply = await database.prisma.message.create({
      data: {
        businessId: business.id,
        conversationId: conversation.id,
        instanceId: instance.id,
        direction: 'OUTBOUND',
        author: 'AI',
        kind: 'text',
        text: 'Abrimos sábado das 8h às 14h!',
        content: { kind: 'text', text: 'Abrimos sábado das 8h às 14h!', context: { providerMessageId: '3EB0A1B2C3D4E5F60001' } },
        status: 'PENDING',
        sentAt: new Date(),
      },
    });
    await bus.publish(
      Topics.messagesOutbound,
      MessageSendRequested.create({
        businessId: business.id,
        instanceId: instance.id,
        conversationId: conversation.id,
        contactId: contacts[0]!.id,
        messageId: reply.id,
        provider: 'BAILEYS',
        bufferId: null,
      }),
      { key: conversation.id },
    );
    bus.wake();
    await eventually(async () => expect((await database.prisma.message.findUnique({ where: { id: reply.id } }))?.status).toBe('SENT'));
    expect(socket.sent).toHaveLength(1);
    // Ana writes from a LID chat: the answer goes there (on her phone number it would open a second chat).
    expect(socket.sent[0]).toMatchObject({ jid: '123456789012345@lid', content: { text: 'Abrimos sábado das 8h às 14h!' } });
    expect((await database.prisma.message.findUnique({ where: { id: reply.id } }))?.providerMessageId).toBe(socket.sent[0]!.id);
    expect(socket.presences.map((presence) => presence.type)).toEqual(['available', 'composing', 'paused', 'unavailable']);

    // Receipts (Baileys' messages.update shape): monotonic.
    const key = { remoteJid: '5511999990001@s.whatsapp.net', fromMe: true, id: socket.sent[0]!.id };
    socket.emit('messages.update', [{ key, update: { status: 4, messageTimestamp: 1767225700 } }]);
    socket.emit('messages.update', [{ key, update: { status: 3, messageTimestamp: 1767225690 } }]);
    await service.ingest.idle();
    expect((await database.prisma.message.findUnique({ where: { id: reply.id } }))?.status).toBe('READ');

    // Process restart: the paired session comes back without a scan.
    await service.stop();
    await bus.stop();
    const nextFactory = new FakeSocketFactory();
    const restarted = startService(nextFactory);
    await restarted.service.start();
    await eventually(() => expect(nextFactory.sockets).toHaveLength(1));
    expect(nextFactory.latest().auth.creds.me?.id).toBe('5511888880000:12@s.whatsapp.net');
    expect((await restarted.service.host.status(instance.id))?.registered).toBe(true);
    nextFactory.latest().open();
    expect((await restarted.service.host.status(instance.id))?.state).toBe('open');
    await restarted.service.stop();
  }, 120_000);

  it('logout wipes the stored auth state; a new start asks for a new scan', async () => {
    const business = await database.prisma.business.create({ data: { name: 'Oficina' } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'Oficina', slot: 1 } });
    const factory = new FakeSocketFactory();
    const { service } = startService(factory);
    await service.host.restart(instance.id);
    factory.latest().completePairing();
    await eventually(() => expect(factory.sockets).toHaveLength(2));
    factory.latest().open();
    await eventually(async () => expect(await service.authStore.hasCreds(instance.id)).toBe(true));
    expect(await database.prisma.baileysSessionLease.count({ where: { instanceId: instance.id } })).toBe(1);

    expect((await service.host.logout(instance.id)).state).toBe('logged-out');
    expect(await service.authStore.hasCreds(instance.id)).toBe(false);
    expect(await database.prisma.baileysAuthKey.count({ where: { instanceId: instance.id } })).toBe(0);
    await eventually(async () => expect(await database.prisma.baileysSessionLease.count({ where: { instanceId: instance.id } })).toBe(0));

    await service.host.restart(instance.id);
    expect(factory.latest().auth.creds.registered).toBe(false);
    await service.stop();
  }, 120_000);
});
