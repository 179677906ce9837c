import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendRequested, type DomainEvent } from '@app/domain';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphApiClient, type GraphApiError } from './graph-api-client.ts';
import { accessTokenFromSecretBox, createMetaEgressHandler } from './meta-egress.subscription.ts';
import { metaMediaReuseMs } from './stored-media-uploads.ts';

const logger = createLogger({ service: 'meta-stored-media-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
let database: TestDatabase;
let graph: GraphApiServer;
let objectStore: ObjectStore;
let directory: string;
let now = new Date('2026-12-01T10:00:00Z');
const clock = { now: () => now };

beforeAll(async () => {
  [database, graph] = await Promise.all([createTestDatabase(), startGraphApiServer()]);
  directory = await mkdtemp(join(tmpdir(), 'meta-stored-media-'));
  objectStore = createFileObjectStore(directory);
});
afterAll(async () => {
  await graph?.close();
  await database?.drop();
  if (directory) await rm(directory, { recursive: true, force: true });
});
beforeEach(() => graph.reset());

async function createScenario() {
  const phoneNumberId = String(100000000000000 + Math.floor(Math.random() * 1e12));
  const accessToken = `EAAG${randomUUID().replace(/-/g, '')}`;
  graph.addPhoneNumber(phoneNumberId, accessToken);
  const business = await database.prisma.business.create({ data: { name: 'Lucky Shrub' } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: 'Cloud API', phoneNumberId } });
  await database.prisma.instance.update({
    where: { id: instance.id },
    data: { encryptedCredentials: secretBox.encrypt(JSON.stringify({ accessToken }), instance.id) },
  });
  const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: '16505551234' } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id },
  });
  return { businessId: business.id, instanceId: instance.id, conversationId: conversation.id, contactId: contact.id, phoneNumberId, accessToken };
}
type Scenario = Awaited<ReturnType<typeof createScenario>>;

async function requestMedia(scenario: Scenario, kind: string, media: Record<string, unknown>) {
  const message = await database.prisma.message.create({
    data: {
      businessId: scenario.businessId,
      conversationId: scenario.conversationId,
      instanceId: scenario.instanceId,
      direction: 'OUTBOUND',
      author: 'AI',
      kind,
      content: { kind, media: { ...media, download: { state: 'stored', attempts: 0 } } },
      status: 'PENDING',
      sentAt: new Date(),
    },
  });
  const event = MessageSendRequested.create({
    businessId: scenario.businessId,
    instanceId: scenario.instanceId,
    conversationId: scenario.conversationId,
    contactId: scenario.contactId,
    messageId: message.id,
    provider: 'META',
    bufferId: null,
  });
  return { messageId: message.id, event: event as DomainEvent };
}

const egress = (withStore = true) =>
  createMetaEgressHandler({
    prisma: database.prisma,
    graph: createGraphApiClient({ graphUrl: graph.url }),
    readAccessToken: accessTokenFromSecretBox(secretBox),
    logger,
    clock,
    ...(withStore ? { objectStore } : {}),
  }).handler;

const stored = (messageId: string) => database.prisma.message.findUniqueOrThrow({ where: { id: messageId } });

describe('Graph media upload against the double', () => {
  it('uploads a file as multipart (messaging_product, type, file) and answers a media id', async () => {
    const scenario = await createScenario();
    const { mediaId } = await createGraphApiClient({ graphUrl: graph.url }).uploadMedia({
      phoneNumberId: scenario.phoneNumberId,
      accessToken: scenario.accessToken,
      body: pdf,
      mimeType: 'application/pdf',
      filename: 'precios.pdf',
    });
    expect(mediaId).toMatch(/^\d+$/);
    expect(graph.uploads).toHaveLength(1);
    expect(graph.uploads[0]).toMatchObject({ phoneNumberId: scenario.phoneNumberId, id: mediaId, type: 'application/pdf', filename: 'precios.pdf' });
    expect(graph.uploads[0]!.bytes.equals(pdf)).toBe(true);
  });

  it('is refused for a type Meta does not send, bytes that are not the declared type, a file above the limit, a wrong token', async () => {
    const scenario = await createScenario();
    const client = createGraphApiClient({ graphUrl: graph.url });
    const upload = (body: Buffer, mimeType: string, accessToken = scenario.accessToken) =>
      client.uploadMedia({ phoneNumberId: scenario.phoneNumberId, accessToken, body, mimeType, filename: 'f' }).then(
        () => null,
        (error: unknown) => (error as GraphApiError).parsed,
      );
    expect(await upload(pdf, 'application/zip')).toMatchObject({ metaCode: 100 });
    expect(await upload(pdf, 'image/jpeg')).toMatchObject({ metaCode: 131053, code: 'META_MEDIA_ERROR', retry: 'none' });
    const bigJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5 * 1024 * 1024)]);
    expect(await upload(bigJpeg, 'image/jpeg')).toMatchObject({ metaCode: 131053 });
    expect(await upload(pdf, 'application/pdf', 'EAAGwrong')).toMatchObject({ metaCode: 190 });
    expect(graph.uploads).toHaveLength(0);
  });
});

describe('meta egress: library files and stored media', () => {
  it('uploads an object-store file once, sends it by id, and reuses the id for the next send', async () => {
    const scenario = await createScenario();
    const key = `files/${scenario.businessId}/${randomUUID()}.pdf`;
    await objectStore.put(key, pdf, 'application/pdf');
    const handler = egress();

    const first = await requestMedia(scenario, 'document', { mediaId: key, mimeType: 'application/pdf', filename: 'Precios.pdf', caption: 'Lista' });
    expect(await handler(first.event)).toBe('success');
    expect(graph.uploads).toHaveLength(1);
    const mediaId = graph.uploads[0]!.id;
    expect(graph.accepted).toHaveLength(1);
    expect(graph.accepted[0]!.body).toMatchObject({ type: 'document', document: { id: mediaId, filename: 'Precios.pdf', caption: 'Lista' } });
    expect(await stored(first.messageId)).toMatchObject({ status: 'SENT' });
    // The stored message keeps the object key: the console still shows the file.
    expect((await stored(first.messageId)).content).toMatchObject({ media: { mediaId: key } });

    const second = await requestMedia(scenario, 'document', { mediaId: key, mimeType: 'application/pdf', filename: 'Precios.pdf' });
    expect(await handler(second.event)).toBe('success');
    expect(graph.uploads).toHaveLength(1);
    expect(graph.accepted[1]!.body).toMatchObject({ document: { id: mediaId } });
  });

  it('uploads again once Meta has dropped the earlier upload (30 days)', async () => {
    const scenario = await createScenario();
    const key = `files/${scenario.businessId}/${randomUUID()}.pdf`;
    await objectStore.put(key, pdf, 'application/pdf');
    const handler = egress();
    await handler((await requestMedia(scenario, 'document', { mediaId: key, mimeType: 'application/pdf', filename: 'a.pdf' })).event);
    now = new Date(now.getTime() + metaMediaReuseMs + 1);
    await handler((await requestMedia(scenario, 'document', { mediaId: key, mimeType: 'application/pdf', filename: 'a.pdf' })).event);
    expect(graph.uploads).toHaveLength(2);
    expect(graph.accepted.map((accepted) => (accepted.body['document'] as { id: string }).id)).toEqual(graph.uploads.map((upload) => upload.id));
  });

  it('fails the message without sending when Meta refuses the upload, the object is missing, or no store is configured', async () => {
    const scenario = await createScenario();
    const wrongKey = `files/${scenario.businessId}/${randomUUID()}.jpg`;
    await objectStore.put(wrongKey, pdf, 'image/jpeg');
    const refused = await requestMedia(scenario, 'image', { mediaId: wrongKey, mimeType: 'image/jpeg' });
    expect(await egress()(refused.event)).toBe('success');
    expect(await stored(refused.messageId)).toMatchObject({ status: 'FAILED', errorCode: '131053' });

    const missing = await requestMedia(scenario, 'document', { mediaId: `files/${scenario.businessId}/gone.pdf`, mimeType: 'application/pdf' });
    expect(await egress()(missing.event)).toBe('success');
    expect(await stored(missing.messageId)).toMatchObject({ status: 'FAILED', errorCode: 'META_MEDIA_MISSING' });

    const noStore = await requestMedia(scenario, 'document', { mediaId: `files/${scenario.businessId}/x.pdf`, mimeType: 'application/pdf' });
    expect(await egress(false)(noStore.event)).toBe('success');
    expect(await stored(noStore.messageId)).toMatchObject({ status: 'FAILED', errorCode: 'META_MEDIA_UNAVAILABLE' });
    expect(graph.accepted).toHaveLength(0);
  });

  it('sends media links by link, without uploading', async () => {
    const scenario = await createScenario();
    const { event } = await requestMedia(scenario, 'image', { url: 'https://cdn.example.com/foto.jpg', mimeType: 'image/jpeg' });
    expect(await egress()(event)).toBe('success');
    expect(graph.uploads).toHaveLength(0);
    expect(graph.accepted[0]!.body).toMatchObject({ type: 'image', image: { link: 'https://cdn.example.com/foto.jpg' } });
  });
});
