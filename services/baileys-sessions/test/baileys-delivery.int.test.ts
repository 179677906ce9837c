import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLocalPubSub, type LocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import type { WAMessage } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysSessionsConfigSchema } from '../src/config.ts';
import { createBaileysSessions, type BaileysSessions } from '../src/create-baileys-sessions.ts';
import { createSentMessageRepository, sentMessageRetentionMs } from '../src/delivery/sent-message.repository.ts';
import { FakeSocketFactory, type FakeSocket } from './support/fake-socket.ts';
import { requestSendIn } from './outbound-fixtures.ts';

// Delivery as a real phone sees it: resends days later, restricted accounts, first contacts, LID chats, presence.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
const logger = createLogger({ service: 'baileys-delivery-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const config = baileysSessionsConfigSchema.parse({
  BAILEYS_START_STAGGER_MS: '0',
  BAILEYS_MIN_GAP_PER_RECIPIENT_MS: '0',
  BAILEYS_AUTH_STORE: 'postgres',
});

let database: TestDatabase;
let slot = 100;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function openSession(name: string) {
  const business = await database.prisma.business.create({ data: { name } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name, slot: slot++ } });
  const factory = new FakeSocketFactory();
  const pubsub: LocalPubSub = createLocalPubSub({
    prisma: database.prisma,
    logger,
    pollIntervalMs: 20,
    retry: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 50 },
  });
  const service: BaileysSessions = createBaileysSessions({
    prisma: database.prisma,
    logger,
    secretBox,
    pubsub,
    config: { ...config, BAILEYS_SLOTS: [instance.slot!] },
    socketFactory: factory,
    onStored: () => pubsub.wake(),
  });
  await service.start();
  await pubsub.start();
  await service.host.restart(instance.id);
  factory.latest().showQr();
  factory.latest().completePairing();
  await eventually(() => expect(factory.sockets).toHaveLength(2));
  factory.latest().open();
  const socket = factory.latest();
  const stop = async () => {
    await service.stop();
    await pubsub.stop();
  };
  return { business, instance, factory, socket, service, pubsub, stop };
}

/** A conversation with a contact; `wroteFirst` gives it an inbound message (not a first contact then). */
async function conversationWith(
  session: Awaited<ReturnType<typeof openSession>>,
  contact: { phone?: string; lid?: string },
  options: { wroteFirst?: boolean } = {},
) {
  const created = await database.prisma.contact.create({
    data: { businessId: session.business.id, phone: contact.phone ?? null, lid: contact.lid ?? null },
  });
  const conversation = await database.prisma.conversation.create({
    data: {
      businessId: session.business.id,
      instanceId: session.instance.id,
      contactId: created.id,
      ...(options.wroteFirst ? { lastInboundAt: new Date() } : {}),
    },
  });
  return { business: session.business, instance: session.instance, conversation, contact: created };
}

async function send(session: Awaited<ReturnType<typeof openSession>>, target: Awaited<ReturnType<typeof conversationWith>>, text: string) {
  const messageId = await database.prisma.$transaction((transaction) => requestSendIn(transaction, target, text));
  session.pubsub.wake();
  await eventually(async () =>
    expect((await database.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status).not.toMatch(/PENDING|SENDING/),
  );
  return database.prisma.message.findUniqueOrThrow({ where: { id: messageId } });
}

const lastSent = (socket: FakeSocket) => socket.sent.at(-1)!;

describe('delivery on a real phone', () => {
  it('answers a resend request days later from the sent-message store, for this instance only, for 14 days', async () => {
    const session = await openSession('Padaria');
    const target = await conversationWith(session, { phone: '5511999990001' }, { wroteFirst: true });
    const message = await send(session, target, 'Seu pedido saiu para entrega');
    expect(message.status).toBe('SENT');
    const key = { remoteJid: '5511999990001@s.whatsapp.net', fromMe: true, id: message.providerMessageId! };

    // Baileys' own cache is per socket and long gone after a restart: only getMessage can answer.
    session.socket.closeWith(428);
    await eventually(() => expect(session.factory.sockets).toHaveLength(3));
    expect(await session.factory.latest().answerRetryRequest(key)).toMatchObject({ extendedTextMessage: { text: 'Seu pedido saiu para entrega' } });

    // Another tenant's session asking for the same id gets nothing.
    const other = await openSession('Oficina');
    expect(await other.socket.answerRetryRequest(key)).toBeUndefined();
    // Sealed at rest.
    const row = await database.prisma.baileysSentMessage.findFirstOrThrow({ where: { instanceId: session.instance.id } });
    expect(row.businessId).toBe(session.business.id);
    expect(row.content).not.toContain('entrega');

    // After the retention period it is neither found nor kept.
    const repository = createSentMessageRepository({ prisma: database.prisma, secretBox });
    const later = new Date(Date.now() + sentMessageRetentionMs + 60_000);
    expect(await repository.find(session.instance.id, key.id, later)).toBeUndefined();
    expect(await repository.prune(later)).toBeGreaterThanOrEqual(1);
    expect(await database.prisma.baileysSentMessage.count({ where: { instanceId: session.instance.id } })).toBe(0);
    await other.stop();
    await session.stop();
  }, 120_000);

  it('shows typing only after an available presence: available → composing → paused → send → unavailable', async () => {
    const session = await openSession('Mercado');
    const target = await conversationWith(session, { phone: '5511999990002' }, { wroteFirst: true });
    await send(session, target, 'Olá!');
    expect(session.socket.presences.map((presence) => presence.type)).toEqual(['available', 'composing', 'paused', 'unavailable']);
    await session.stop();
  }, 120_000);

  it('a 463 keeps its code on the message and pauses first contacts; existing chats still get answers', async () => {
    const session = await openSession('Loja 463');
    const known = await conversationWith(session, { phone: '5511999990003' }, { wroteFirst: true });
    const failed = await send(session, known, 'primeira');
    // rc14: the server's ack carries error 463; Baileys emits an ERROR status with the code in messageStubParameters.
    session.socket.emit('messages.update', [
      {
        key: { remoteJid: '5511999990003@s.whatsapp.net', fromMe: true, id: failed.providerMessageId! },
        update: { status: 0, messageStubParameters: ['463'] },
      },
    ]);
    await session.service.ingest.idle();
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ status: 'FAILED', errorCode: '463' });
    expect((await session.service.host.status(session.instance.id))?.restriction).toMatchObject({ reason: 'error-463' });

    session.socket.whatsAppNumbers.set('5511999990004', '5511999990004@s.whatsapp.net');
    const stranger = await conversationWith(session, { phone: '5511999990004' });
    const refused = await send(session, stranger, 'oferta');
    expect(refused).toMatchObject({ status: 'FAILED', errorCode: 'BAILEYS_ACCOUNT_RESTRICTED' });
    const sentBefore = session.socket.sent.length;
    expect((await send(session, known, 'segunda')).status).toBe('SENT');
    expect(session.socket.sent).toHaveLength(sentBefore + 1);
    expect(session.socket.sent.some((sent) => sent.jid.startsWith('5511999990004'))).toBe(false);
    await session.stop();
  }, 120_000);

  it('a first message to a phone number goes to the JID WhatsApp gives for it; a number not on WhatsApp fails clearly', async () => {
    const session = await openSession('Brasil');
    // Typed without the ninth digit; WhatsApp knows the number with it.
    session.socket.whatsAppNumbers.set('551188880000', '5511988880000@s.whatsapp.net');
    const first = await conversationWith(session, { phone: '551188880000' });
    expect((await send(session, first, 'Bem-vindo')).status).toBe('SENT');
    expect(lastSent(session.socket).jid).toBe('5511988880000@s.whatsapp.net');
    expect(session.socket.onWhatsAppQueries).toEqual([['551188880000']]);

    const nobody = await conversationWith(session, { phone: '5511000000000' });
    expect(await send(session, nobody, 'Olá')).toMatchObject({ status: 'FAILED', errorCode: 'BAILEYS_NOT_ON_WHATSAPP' });
    await session.stop();
  }, 120_000);

  it('replies to a chat that arrived by LID on the LID, not on the phone number', async () => {
    const session = await openSession('LID');
    const inbound = {
      key: {
        remoteJid: '123456789012399@lid',
        remoteJidAlt: '5511999990099@s.whatsapp.net',
        fromMe: false,
        id: '3EB0LIDCHAT0001',
        addressingMode: 'lid',
      },
      messageTimestamp: Math.floor(Date.now() / 1000),
      pushName: 'Bia',
      message: { conversation: 'oi' },
    } as WAMessage;
    session.socket.emit('messages.upsert', { type: 'notify', messages: [inbound] });
    await session.service.ingest.idle();
    const conversation = await database.prisma.conversation.findFirstOrThrow({
      where: { instanceId: session.instance.id },
      include: { contact: true },
    });
    expect(conversation.contact).toMatchObject({ phone: '5511999990099', lid: '123456789012399' });
    await send(session, { business: session.business, instance: session.instance, conversation, contact: conversation.contact }, 'Oi Bia');
    expect(lastSent(session.socket).jid).toBe('123456789012399@lid');
    expect(session.socket.onWhatsAppQueries).toEqual([]);
    await session.stop();
  }, 120_000);

  it('keeps undecryptable and view-once messages as placeholders the operator sees; a resend replaces the placeholder', async () => {
    const session = await openSession('Placeholders');
    const from = { remoteJid: '123456789012377@lid', remoteJidAlt: '5511999990077@s.whatsapp.net', fromMe: false };
    const at = Math.floor(Date.now() / 1000);
    session.socket.emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { ...from, id: '3EB0BADMAC0001' }, messageTimestamp: at, messageStubType: 2, messageStubParameters: ['Bad MAC'] } as WAMessage,
        { key: { ...from, id: '3EB0VIEWONCE01', isViewOnce: true }, messageTimestamp: at } as WAMessage,
      ],
    });
    await session.service.ingest.idle();
    const stored = async (id: string) =>
      database.prisma.message.findFirstOrThrow({ where: { instanceId: session.instance.id, providerMessageId: id } });
    expect(await stored('3EB0BADMAC0001')).toMatchObject({
      kind: 'unsupported',
      content: { errors: [{ title: 'Message could not be decrypted', details: 'Bad MAC' }] },
    });
    expect(await stored('3EB0VIEWONCE01')).toMatchObject({
      kind: 'unsupported',
      content: { errors: [{ title: 'View-once message: open it on the phone' }] },
    });

    // The sender's phone answers the retry receipt: the same id with the real content.
    session.socket.emit('messages.upsert', {
      type: 'notify',
      messages: [{ key: { ...from, id: '3EB0BADMAC0001' }, messageTimestamp: at, message: { conversation: 'agora sim' } } as WAMessage],
    });
    await session.service.ingest.idle();
    expect(await stored('3EB0BADMAC0001')).toMatchObject({
      kind: 'text',
      text: 'agora sim',
      content: { kind: 'text', text: 'agora sim', chatJid: from.remoteJid },
    });
    // A late undecryptable copy never overwrites real content.
    session.socket.emit('messages.upsert', {
      type: 'notify',
      messages: [
        { key: { ...from, id: '3EB0BADMAC0001' }, messageTimestamp: at, messageStubType: 2, messageStubParameters: ['Bad MAC'] } as WAMessage,
      ],
    });
    await session.service.ingest.idle();
    expect((await stored('3EB0BADMAC0001')).kind).toBe('text');
    expect(await database.prisma.message.count({ where: { instanceId: session.instance.id } })).toBe(2);
    await session.stop();
  }, 120_000);
});
