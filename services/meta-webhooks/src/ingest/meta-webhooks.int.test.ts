import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger, errorMiddleware } from '@app/runtime/service';
import {
  metaContact,
  metaFixtureNames,
  metaMessage,
  metaStatusWebhook,
  metaTextMessageWebhook,
  metaWebhook,
  postSignedMetaWebhook,
  readMetaFixture,
  readMetaFixtureRaw,
  serializeLikeMeta,
  signMetaPayload,
} from '@app/testkit/meta-graph';
import express from 'express';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMetaWebhook } from '../normalize/normalize-webhook.ts';
import { createMetaWebhooksRouter } from './meta-webhooks.router.ts';

const appSecret = 'test-app-secret';
const verifyToken = 'meatyhamhock';
let database: TestDatabase;
let server: Server;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const logger = createLogger({ service: 'meta-webhooks-test', level: 'silent' });
  const app = express();
  app.use(createMetaWebhooksRouter({ prisma: database.prisma, logger, config: { META_APP_SECRET: appSecret, META_VERIFY_TOKEN: verifyToken } }));
  app.use(errorMiddleware(logger));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await database?.drop();
});

async function createMetaInstance(phoneNumberId = randomUUID().replace(/-/g, '').slice(0, 15)) {
  const business = await database.prisma.business.create({ data: { name: 'Lucky Shrub' } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider: 'META', name: 'Cloud API', phoneNumberId },
  });
  return { businessId: business.id, instanceId: instance.id, phoneNumberId };
}

const post = (payload: unknown) => postSignedMetaWebhook({ url, appSecret, payload });

describe('GET /webhooks/meta (verification handshake)', () => {
  it('echoes the challenge as plain text for the right verify token', async () => {
    const response = await fetch(`${url}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${verifyToken}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  it('answers 403 for a wrong token or mode', async () => {
    expect((await fetch(`${url}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong`)).status).toBe(403);
    expect((await fetch(`${url}?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${verifyToken}`)).status).toBe(403);
    expect((await fetch(url)).status).toBe(403);
  });
});

describe('POST /webhooks/meta', () => {
  it('stores a signed burst once, even when Meta delivers every webhook twice and concurrently', async () => {
    const target = await createMetaInstance();
    const customers = ['5215511110001', '5215511110002', '5215511110003'];
    const webhooks = customers.flatMap((from) =>
      Array.from({ length: 4 }, (_, index) => metaTextMessageWebhook({ phoneNumberId: target.phoneNumberId, from, text: `message ${index} ñ 🎉` })),
    );
    const batch = metaWebhook({
      phoneNumberId: target.phoneNumberId,
      contacts: [metaContact({ from: customers[0] })],
      messages: Array.from({ length: 5 }, (_, index) => metaMessage('text', { text: { body: `batched ${index}` } }, { from: customers[0] })),
    });
    const all = [...webhooks, batch];
    const responses = await Promise.all([...all, ...all].map(post));
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));

    const messages = await database.prisma.message.findMany({ where: { instanceId: target.instanceId } });
    expect(messages).toHaveLength(12 + 5);
    expect(await database.prisma.contact.count({ where: { businessId: target.businessId } })).toBe(3);
    const conversations = await database.prisma.conversation.findMany({ where: { instanceId: target.instanceId } });
    expect(conversations.map((conversation) => conversation.unreadCount).sort()).toEqual([4, 4, 9]);
    const events = await database.prisma.outboxEvent.findMany({ where: { topic: 'messages.inbound' } });
    const ours = events.filter((event) => (event.payload as { data: { instanceId: string } }).data.instanceId === target.instanceId);
    expect(ours).toHaveLength(17);
    expect(new Set(ours.map((event) => (event.payload as { id: string }).id)).size).toBe(17);

    // A later redelivery (Meta retries for days) changes nothing at all.
    const before = await database.prisma.conversation.findMany({ where: { instanceId: target.instanceId }, orderBy: { id: 'asc' } });
    expect((await post(batch)).status).toBe(200);
    expect(await database.prisma.message.count({ where: { instanceId: target.instanceId } })).toBe(17);
    expect(await database.prisma.conversation.findMany({ where: { instanceId: target.instanceId }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('verifies and stores non-ASCII text exactly as Meta escapes it', async () => {
    const target = await createMetaInstance('106540352242922');
    const raw = readMetaFixtureRaw('text-non-ascii');
    const response = await postSignedMetaWebhook({ url, appSecret, body: raw });
    expect(response.status).toBe(200);
    const message = await database.prisma.message.findFirstOrThrow({ where: { instanceId: target.instanceId } });
    expect(message.text).toBe('äöå Café ¿mañana? مرحبا 👍🎉');
    const contact = await database.prisma.contact.findFirstOrThrow({ where: { businessId: target.businessId } });
    expect(contact).toMatchObject({ phone: '4915112345678', name: 'Jörg Åström' });
  });

  it('answers 401 INVALID_SIGNATURE and stores nothing for a missing, wrong or re-serialized signature', async () => {
    const target = await createMetaInstance();
    const payload = metaTextMessageWebhook({ phoneNumberId: target.phoneNumberId, text: 'Grüße 👋' });
    const raw = serializeLikeMeta(payload);
    const attempts = [
      postSignedMetaWebhook({ url, appSecret, body: raw, signature: null }),
      postSignedMetaWebhook({ url, appSecret, body: raw, signature: signMetaPayload(raw, 'not-the-secret') }),
      postSignedMetaWebhook({ url, appSecret, body: JSON.stringify(payload), signature: signMetaPayload(raw, appSecret) }),
      postSignedMetaWebhook({ url, appSecret, body: raw, signature: 'sha256=zz' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    }
    expect(await database.prisma.message.count({ where: { instanceId: target.instanceId } })).toBe(0);
    expect(await database.prisma.contact.count({ where: { businessId: target.businessId } })).toBe(0);
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    const response = await postSignedMetaWebhook({ url, appSecret, body: '{"object":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('acknowledges an unknown phone_number_id with 200 and records a WARNING system event', async () => {
    const phoneNumberId = `unknown-${randomUUID()}`;
    const response = await post(metaTextMessageWebhook({ phoneNumberId }));
    expect(response.status).toBe(200);
    const events = await database.prisma.systemEvent.findMany({ where: { event: 'meta_webhook.unknown_phone_number' } });
    const ours = events.filter((event) => (event.metadata as { phoneNumberId?: string }).phoneNumberId === phoneNumberId);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ severity: 'WARNING', source: 'meta-webhooks' });
  });

  it('creates a contact without a phone for a BSUID-only sender, and joins the phone to it later', async () => {
    const target = await createMetaInstance();
    const bsuid = 'US.13491208655302741918';
    expect((await post(metaTextMessageWebhook({ phoneNumberId: target.phoneNumberId, from: null, userId: bsuid, name: 'Pablo' }))).status).toBe(200);
    const contact = await database.prisma.contact.findFirstOrThrow({ where: { businessId: target.businessId } });
    expect(contact).toMatchObject({ phone: null, waUserId: bsuid, name: 'Pablo' });

    await post(metaTextMessageWebhook({ phoneNumberId: target.phoneNumberId, from: '5215599990000', userId: bsuid }));
    const contacts = await database.prisma.contact.findMany({ where: { businessId: target.businessId } });
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ id: contact.id, phone: '5215599990000', waUserId: bsuid });
  });

  it('applies status webhooks monotonically: out of order, delivered skipped, failed with its code', async () => {
    const target = await createMetaInstance();
    await post(metaTextMessageWebhook({ phoneNumberId: target.phoneNumberId }));
    const conversation = await database.prisma.conversation.findFirstOrThrow({ where: { instanceId: target.instanceId } });
    const outbound = (providerMessageId: string) =>
      database.prisma.message.create({
        data: {
          businessId: target.businessId,
          conversationId: conversation.id,
          instanceId: target.instanceId,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text: 'Reply',
          status: 'SENT',
          providerMessageId,
          sentAt: new Date(),
        },
      });
    const read = await outbound('wamid.read-first');
    const failed = await outbound('wamid.fails');
    const status = (id: string, value: string, errors?: { code: number; details: string }[]) =>
      post(metaStatusWebhook({ phoneNumberId: target.phoneNumberId, id, status: value, errors }));

    for (const value of ['read', 'delivered', 'sent', 'read', 'failed']) expect((await status(read.providerMessageId!, value)).status).toBe(200);
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: read.id } })).toMatchObject({ status: 'READ', errorCode: null });

    await status(failed.providerMessageId!, 'failed', [{ code: 131026, details: 'Message undeliverable.' }]);
    await status(failed.providerMessageId!, 'sent');
    expect(await database.prisma.message.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: 'FAILED',
      errorCode: '131026',
      errorMessage: 'Message undeliverable.',
    });

    expect((await status('wamid.never-sent-by-us', 'delivered')).status).toBe(200);
    const changes = await database.prisma.outboxEvent.findMany({ where: { topic: 'messages.status' } });
    const ofRead = changes
      .map((event) => (event.payload as { data: { messageId: string; status: string } }).data)
      .filter((data) => data.messageId === read.id);
    expect(ofRead.map((data) => data.status)).toEqual(['READ']);
  });

  it('accepts every golden fixture and stores exactly its messages', async () => {
    const phoneNumberIds = new Set<string>();
    let expectedMessages = 0;
    for (const name of metaFixtureNames()) {
      for (const item of normalizeMetaWebhook(readMetaFixture(name)).items) {
        phoneNumberIds.add(item.phoneNumberId);
        if (item.type === 'message') expectedMessages += 1;
      }
    }
    const fixtureDatabase = await createTestDatabase();
    try {
      const logger = createLogger({ service: 'meta-webhooks-test', level: 'silent' });
      const app = express();
      app.use(
        createMetaWebhooksRouter({ prisma: fixtureDatabase.prisma, logger, config: { META_APP_SECRET: appSecret, META_VERIFY_TOKEN: verifyToken } }),
      );
      app.use(errorMiddleware(logger));
      const fixtureServer = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => fixtureServer.once('listening', resolve));
      const fixtureUrl = `http://127.0.0.1:${(fixtureServer.address() as AddressInfo).port}/webhooks/meta`;
      const business = await fixtureDatabase.prisma.business.create({ data: { name: 'Fixtures' } });
      for (const phoneNumberId of phoneNumberIds) {
        await fixtureDatabase.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: phoneNumberId, phoneNumberId } });
      }
      for (const name of metaFixtureNames()) {
        const response = await postSignedMetaWebhook({ url: fixtureUrl, appSecret, body: readMetaFixtureRaw(name) });
        expect(response.status, name).toBe(200);
      }
      await new Promise((resolve) => fixtureServer.close(resolve));
      const distinct = new Set(
        metaFixtureNames().flatMap((name) =>
          normalizeMetaWebhook(readMetaFixture(name)).items.flatMap((item) =>
            item.type === 'message' ? [`${item.phoneNumberId}:${item.providerMessageId}`] : [],
          ),
        ),
      );
      expect(distinct.size).toBe(expectedMessages);
      expect(await fixtureDatabase.prisma.message.count()).toBe(distinct.size);
      expect(await fixtureDatabase.prisma.contact.count({ where: { phone: null } })).toBe(1);
      // Skipped items and Meta's own errors are reported, not silently lost.
      const warnings = await fixtureDatabase.prisma.systemEvent.findMany({ where: { severity: 'WARNING' } });
      expect(
        warnings
          .filter((event) => event.event === 'meta_webhook.malformed_item')
          .map((event) => (event.metadata as { path: string }).path)
          .sort(),
      ).toEqual(['entry[0].changes[0].value.messages[2]', 'entry[0].changes[1].value.statuses[1]']);
      expect(warnings.filter((event) => event.event === 'meta_webhook.error')).toHaveLength(1);
      // Without a media download queue (no object store), media keep Meta's id as metadata only.
      const withMedia = (
        await fixtureDatabase.prisma.message.findMany({ where: { kind: { in: ['image', 'audio', 'video', 'document', 'sticker'] } } })
      ).map((message) => (message.content as { media: Record<string, unknown> }).media);
      expect(withMedia.length).toBeGreaterThan(0);
      for (const media of withMedia) {
        expect(media['mediaId']).toMatch(/^\d+$/);
        expect(media).not.toHaveProperty('download');
      }
      expect(await fixtureDatabase.prisma.mediaDownload.count()).toBe(0);
    } finally {
      await fixtureDatabase.drop();
    }
  });
});

describe('mounting', () => {
  it('refuses to run behind a body parser that already consumed the raw body', async () => {
    const logger = createLogger({ service: 'meta-webhooks-test', level: 'silent' });
    const app = express();
    app.use(express.json());
    app.use(createMetaWebhooksRouter({ prisma: database.prisma, logger, config: { META_APP_SECRET: appSecret, META_VERIFY_TOKEN: verifyToken } }));
    app.use(errorMiddleware(logger));
    const misMounted = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => misMounted.once('listening', resolve));
    try {
      const response = await postSignedMetaWebhook({
        url: `http://127.0.0.1:${(misMounted.address() as AddressInfo).port}/webhooks/meta`,
        appSecret,
        payload: metaTextMessageWebhook({}),
      });
      expect(response.status).toBe(500);
    } finally {
      await new Promise((resolve) => misMounted.close(resolve));
    }
  });
});
