import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enqueueEvent, SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendRequested } from '@app/domain';
import type { DaprService } from '@app/runtime/dapr';
import type { ObjectStore } from '@app/runtime/ports';
import { ConfigError, objectStoreFromSettings } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import {
  metaMediaMessageWebhook,
  metaTextMessageWebhook,
  postSignedMetaWebhook,
  startGraphApiServer,
  type GraphApiServer,
} from '@app/testkit/meta-graph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMetaWebhooksKubernetesConfig } from '../config.ts';
import { startMetaWebhooksService } from './start-meta-webhooks-service.ts';

// s3rver: a real S3-compatible server, in-process on 127.0.0.1 (no types shipped): the cluster's MinIO here.
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

const tokens = { daprApiToken: 'meta-sidecar-token', appApiToken: 'meta-webhooks-app-token' };
const appSecret = 'meta-app-secret';
const credentialsKey = randomBytes(32).toString('base64');

let database: TestDatabase;
let sidecar: DaprSidecarDouble;
let graph: GraphApiServer;
let service: DaprService;
let s3: S3rverServer;
let s3Directory: string;
let bucket: ObjectStore;

beforeAll(async () => {
  [database, graph] = await Promise.all([createTestDatabase(), startGraphApiServer()]);
  s3Directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Directory });
  const s3Endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
  sidecar = await startDaprSidecarDouble({ appId: 'meta-webhooks', apiToken: tokens.daprApiToken, appApiToken: tokens.appApiToken });
  const config = loadMetaWebhooksKubernetesConfig({
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DAPR_HTTP_URL: sidecar.url,
    DAPR_API_TOKEN: tokens.daprApiToken,
    APP_API_TOKEN: tokens.appApiToken,
    META_APP_SECRET: appSecret,
    META_VERIFY_TOKEN: 'verify-me',
    META_GRAPH_URL: graph.url,
    CREDENTIALS_KEY: credentialsKey,
    OBJECT_STORE_ENDPOINT: s3Endpoint,
    OBJECT_STORE_BUCKET: `media-${randomUUID().slice(0, 8)}`,
    OBJECT_STORE_ACCESS_KEY: 'S3RVER',
    OBJECT_STORE_SECRET_KEY: 'S3RVER',
    LOG_LEVEL: 'silent',
  });
  bucket = objectStoreFromSettings(config.service)!;
  service = await startMetaWebhooksService({ config, relay: { pollIntervalMs: 50 } });
  await sidecar.connectApp(service.url);
});

afterAll(async () => {
  await service?.stop();
  await sidecar?.stop();
  await graph?.close();
  await s3?.close();
  await database?.drop();
  if (s3Directory) await rm(s3Directory, { recursive: true, force: true });
});

async function metaInstance() {
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 1e12));
  const accessToken = `EAAG${randomUUID().replaceAll('-', '')}`;
  graph.addPhoneNumber(phoneNumberId, accessToken);
  const business = await database.prisma.business.create({ data: { name: 'Lucky Shrub' } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: 'Cloud API', phoneNumberId } });
  // Sealed as tenant-api seals it: a single base64 CREDENTIALS_KEY is key id "default".
  const box = new SecretBox({ currentKeyId: 'default', keys: { default: Buffer.from(credentialsKey, 'base64') } });
  await database.prisma.instance.update({
    where: { id: instance.id },
    data: { encryptedCredentials: box.encrypt(JSON.stringify({ accessToken }), instance.id) },
  });
  return { businessId: business.id, instanceId: instance.id, phoneNumberId };
}

describe('meta-webhooks Kubernetes entry (PostgreSQL, Dapr sidecar double, Graph API double)', () => {
  it('requires DATABASE_URL, the Meta secrets and CREDENTIALS_KEY', () => {
    let thrown: unknown;
    try {
      loadMetaWebhooksKubernetesConfig({ PUBSUB_NAME: 'pubsub' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const problems = (thrown as ConfigError).problems.join('\n');
    for (const key of ['DATABASE_URL', 'META_APP_SECRET', 'META_VERIFY_TOKEN', 'CREDENTIALS_KEY']) expect(problems).toContain(key);
  });

  it('wants the object store credentials with its endpoint, and has no object store without one', () => {
    const base = {
      DATABASE_URL: database.url,
      META_APP_SECRET: 's',
      META_VERIFY_TOKEN: 'v',
      CREDENTIALS_KEY: credentialsKey,
      APP_API_TOKEN: tokens.appApiToken,
    };
    const problems = (() => {
      try {
        loadMetaWebhooksKubernetesConfig({ ...base, OBJECT_STORE_ENDPOINT: 'http://minio.storage:9000' });
        return '';
      } catch (error) {
        return (error as ConfigError).problems.join('\n');
      }
    })();
    expect(problems).toContain('OBJECT_STORE_ACCESS_KEY');
    expect(problems).toContain('OBJECT_STORE_SECRET_KEY');
    expect(objectStoreFromSettings(loadMetaWebhooksKubernetesConfig(base).service)).toBeUndefined();
  });

  it('serves what daprd asks for: no actors, and messages.outbound (the Cloud API egress) as its only subscription', async () => {
    expect(sidecar.appConfig).toBeNull();
    expect(sidecar.subscriptions.filter((entry) => !entry.topic.endsWith('.dead-letter')).map((entry) => [entry.pubsubname, entry.topic])).toEqual([
      ['pubsub', 'messages.outbound'],
    ]);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('stores a signed webhook once and relays message.received through the sidecar', async () => {
    const { instanceId, phoneNumberId } = await metaInstance();
    const payload = metaTextMessageWebhook({ phoneNumberId, text: 'Do you ship to Bogotá?' });
    const first = await postSignedMetaWebhook({ url: `${service.url}/webhooks/meta`, appSecret, payload });
    expect(first.status).toBe(200);
    const again = await postSignedMetaWebhook({ url: `${service.url}/webhooks/meta`, appSecret, payload });
    expect(again.status).toBe(200);
    const forged = await postSignedMetaWebhook({ url: `${service.url}/webhooks/meta`, appSecret: 'not-the-secret', payload });
    expect(forged.status).toBe(401);

    const message = await database.prisma.message.findFirstOrThrow({ where: { instanceId } });
    await expectEventually(() =>
      expect(
        sidecar.published.filter(
          (entry) => entry.topic === 'messages.inbound' && (entry.cloudEvent.data as { data: { messageId: string } }).data.messageId === message.id,
        ),
      ).toHaveLength(1),
    );
    expect(await database.prisma.message.count({ where: { instanceId } })).toBe(1);
  });

  it('downloads an inbound image into the S3 bucket of OBJECT_STORE_*, after answering the webhook', async () => {
    const { businessId, instanceId, phoneNumberId } = await metaInstance();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]);
    graph.addMedia({ id: '1479537139650973', bytes: jpeg, mimeType: 'image/jpeg', phoneNumberId });
    const payload = metaMediaMessageWebhook({
      phoneNumberId,
      type: 'image',
      media: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: createHash('sha256').update(jpeg).digest('base64') },
    });
    expect((await postSignedMetaWebhook({ url: `${service.url}/webhooks/meta`, appSecret, payload })).status).toBe(200);

    const message = await database.prisma.message.findFirstOrThrow({ where: { instanceId } });
    const key = `media/${businessId}/${instanceId}/${message.id}.jpg`;
    await expectEventually(async () =>
      expect((await database.prisma.message.findUniqueOrThrow({ where: { id: message.id } })).content).toMatchObject({
        media: { mediaId: key, size: jpeg.length, download: { state: 'stored', attempts: 1 } },
      }),
    );
    expect(await bucket.get(key)).toEqual({ body: jpeg, contentType: 'image/jpeg' });
  });

  it('sends a META reply requested through the outbox: relay → sidecar → egress subscription → Graph API, once', async () => {
    const { businessId, instanceId, phoneNumberId } = await metaInstance();
    const contact = await database.prisma.contact.create({ data: { businessId, phone: '16505551234' } });
    const conversation = await database.prisma.conversation.create({ data: { businessId, instanceId, contactId: contact.id } });
    const reply = await database.prisma.$transaction(async (transaction) => {
      const created = await transaction.message.create({
        data: {
          businessId,
          conversationId: conversation.id,
          instanceId,
          direction: 'OUTBOUND',
          author: 'AI',
          kind: 'text',
          text: 'Yes, we do.',
          content: { kind: 'text', text: 'Yes, we do.' },
          status: 'PENDING',
          sentAt: new Date(),
        },
      });
      const event = MessageSendRequested.create({
        businessId,
        instanceId,
        conversationId: conversation.id,
        contactId: contact.id,
        messageId: created.id,
        provider: 'META',
        bufferId: null,
      });
      await enqueueEvent(transaction, MessageSendRequested.topic, event, { key: conversation.id });
      return created;
    });

    await expectEventually(async () => expect((await database.prisma.message.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe('SENT'));
    expect(graph.requests.filter((request) => request.path.endsWith(`/${phoneNumberId}/messages`))).toHaveLength(1);
    const published = sidecar.published.find((entry) => (entry.cloudEvent.data as { data: { messageId?: string } }).data.messageId === reply.id);
    expect(published).toMatchObject({ topic: 'messages.outbound', metadata: { partitionKey: conversation.id } });
  });
});
