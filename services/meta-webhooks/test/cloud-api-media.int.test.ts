import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@app/db';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import { createLogger, errorMiddleware } from '@app/runtime/service';
import { expectEventually, mediaSamples } from '@app/testkit';
import { metaMediaMessageWebhook, postSignedMetaWebhook, startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The tenant API's own harness: this suite checks the webhook ingress and the operator's media route wired together.
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from '../../tenant-api/test/tenant-api-harness.ts';
import { createMetaWebhooksRouter } from '../src/ingest/meta-webhooks.router.ts';
import { createGraphMediaClient } from '../src/media/graph-media-client.ts';
import { createMetaMediaDownloads, type MetaMediaDownloads, type MetaMediaDownloadsDependencies } from '../src/media/meta-media-downloads.ts';

const appSecret = 'media-app-secret';
const logger = createLogger({ service: 'cloud-api-media-test', level: 'silent' });
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 30_000 });

/** One meta-webhooks process: the webhook route and its media download queue over the shared database. */
interface Ingress {
  url: string;
  media: MetaMediaDownloads;
  /** Stops serving; with `crash`, the queue is abandoned mid-work as a killed process would leave it. */
  close(options?: { crash?: boolean }): Promise<void>;
}

let harness: TenantApiHarness;
let graph: GraphApiServer;
let directory: string;
let objectStore: ObjectStore;
let owner: SignedInTenant;
let ingress: Ingress;
const phoneNumberId = '106540352242922';
const accessToken = `EAAG${randomUUID().replaceAll('-', '')}`;

async function startIngress(options: { graph?: MetaMediaDownloadsDependencies['graph']; claimMs?: number } = {}): Promise<Ingress> {
  const media = createMetaMediaDownloads({
    prisma: harness.database.prisma,
    objectStore,
    secretBox: SecretBox.fromCredentialsKey(harness.credentialsKey),
    logger,
    config: { META_GRAPH_URL: graph.url, META_MEDIA_RETRY_SECONDS: 1, META_MEDIA_MAX_ATTEMPTS: 3 },
    ...(options.graph ? { graph: options.graph } : {}),
    // Seconds instead of minutes: the first retry 150 ms after a failure, swept every 100 ms.
    tuning: { retryBaseMs: 150, sweepIntervalMs: 100, ...(options.claimMs ? { claimMs: options.claimMs } : {}) },
  });
  const app = express();
  app.use(
    createMetaWebhooksRouter({ prisma: harness.database.prisma, logger, config: { META_APP_SECRET: appSecret, META_VERIFY_TOKEN: 'verify' }, media }),
  );
  app.use(errorMiddleware(logger));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  media.start();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`,
    media,
    close: async ({ crash = false } = {}) => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // A killed process runs nothing more (no sweeps), but its download in flight is never finished.
      if (crash) void media.stop();
      else await media.stop();
    },
  };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cloud-api-media-'));
  objectStore = createFileObjectStore(directory);
  [harness, graph] = await Promise.all([
    startTenantApiHarness({}, { objectStore }),
    startGraphApiServer({ phoneNumbers: { [phoneNumberId]: accessToken } }),
  ]);
  owner = await signUp(harness);
  // The instance as an operator creates it: the access token sealed by the tenant API with the credentials key.
  await request(harness.app)
    .post('/api/instances')
    .set('authorization', owner.bearer)
    .send({ provider: 'META', name: 'Main number', phoneNumberId, wabaId: '102290129340398', accessToken })
    .expect(201);
  ingress = await startIngress();
});

afterAll(async () => {
  await ingress?.close();
  await graph?.close();
  await harness?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

let mediaCounter = 0;
/** Meta holding a file for the number, as after a customer sent it. */
function mediaOnMeta(bytes: Buffer, mimeType: string): string {
  mediaCounter += 1;
  const id = String(1908647269898000 + mediaCounter);
  graph.addMedia({ id, bytes, mimeType, phoneNumberId });
  return id;
}

const post = (payload: unknown, url = ingress.url) => postSignedMetaWebhook({ url, appSecret, payload });

async function storedMessage(wamid: string) {
  return harness.database.prisma.message.findFirstOrThrow({ where: { providerMessageId: wamid } });
}

function mediaState(message: { content: unknown }) {
  return (
    message.content as {
      media: { mediaId?: string; size?: number; mimeType?: string; download?: { state: string; attempts: number; error?: string } };
    }
  ).media;
}

const mediaApi = (messageId: string) => request(harness.app).get(`/api/messages/${messageId}/media`).set('authorization', owner.bearer);
const lookups = (mediaId: string) => graph.requests.filter((entry) => entry.method === 'GET' && entry.path === `/${graph.version}/${mediaId}`);
const downloads = (mediaId: string) => graph.requests.filter((entry) => entry.path === `/media-download/${mediaId}`);

describe('inbound Cloud API media → object store → GET /api/messages/:id/media', () => {
  it('stores an image, a voice note and a document with their exact bytes, served with their content type', async () => {
    const { jpeg, oggOpus: voice, pdf } = mediaSamples;
    const files = [
      { type: 'image' as const, bytes: jpeg, mime: 'image/jpeg', extra: { caption: 'the red ones' }, extension: 'jpg' },
      { type: 'audio' as const, bytes: voice, mime: 'audio/ogg; codecs=opus', extra: { voice: true }, extension: 'ogg' },
      { type: 'document' as const, bytes: pdf, mime: 'application/pdf', extra: { filename: 'invoice.pdf' }, extension: 'pdf' },
    ];
    const sent = files.map((file) => {
      const id = mediaOnMeta(file.bytes, file.mime);
      const webhook = metaMediaMessageWebhook({
        phoneNumberId,
        type: file.type,
        media: { id, mime_type: file.mime, sha256: createHash('sha256').update(file.bytes).digest('base64'), ...file.extra },
      });
      return { ...file, id, wamid: (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id, webhook };
    });
    for (const { webhook } of sent) expect((await post(webhook)).status).toBe(200);

    for (const file of sent) {
      await eventually(async () => expect(mediaState(await storedMessage(file.wamid)).download?.state).toBe('stored'));
      const message = await storedMessage(file.wamid);
      expect(mediaState(message)).toMatchObject({
        mediaId: `media/${owner.businessId}/${message.instanceId}/${message.id}.${file.extension}`,
        mimeType: file.mime,
        size: file.bytes.length,
        download: { state: 'stored', attempts: 1 },
      });
      const response = await mediaApi(message.id).responseType('blob').expect(200);
      // Served without parameters: nothing a sender wrote reaches the header.
      expect(response.headers['content-type']).toBe(file.mime.split(';')[0]);
      expect(Buffer.compare(response.body as Buffer, file.bytes)).toBe(0);
      // A fresh URL was looked up for the number, and fetched with the instance's token.
      expect(lookups(file.id)).toHaveLength(1);
      expect(downloads(file.id)).toEqual([expect.objectContaining({ authorization: `Bearer ${accessToken}`, status: 200 })]);
    }
    expect((await storedMessage(sent[2]!.wamid)).content).toMatchObject({ media: { filename: 'invoice.pdf' } });
  });

  it('stores and serves HTML or SVG claimed as an image or a page only as application/octet-stream, as a download', async () => {
    const attacks = [
      { type: 'image' as const, bytes: mediaSamples.svg, mime: 'image/png', extra: {} },
      { type: 'document' as const, bytes: mediaSamples.html, mime: 'text/html', extra: { filename: 'invoice.html' } },
      { type: 'document' as const, bytes: mediaSamples.svg, mime: 'image/svg+xml', extra: { filename: 'logo.svg' } },
    ];
    for (const attack of attacks) {
      const id = mediaOnMeta(attack.bytes, attack.mime);
      const webhook = metaMediaMessageWebhook({ phoneNumberId, type: attack.type, media: { id, mime_type: attack.mime, ...attack.extra } });
      const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
      expect((await post(webhook)).status).toBe(200);
      await eventually(async () => expect(mediaState(await storedMessage(wamid)).download?.state).toBe('stored'));
      const message = await storedMessage(wamid);
      expect(mediaState(message)).toMatchObject({
        mediaId: `media/${owner.businessId}/${message.instanceId}/${message.id}`,
        mimeType: 'application/octet-stream',
      });
      expect((await objectStore.get(mediaState(message).mediaId!))?.contentType).toBe('application/octet-stream');
      const response = await mediaApi(message.id).responseType('blob').expect(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toMatch(/^attachment/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('acknowledges the webhook before the download finishes', async () => {
    const id = mediaOnMeta(Buffer.from('a large video, slowly'), 'video/mp4');
    const webhook = metaMediaMessageWebhook({ phoneNumberId, type: 'video', media: { id, mime_type: 'video/mp4' } });
    const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
    const slowCdn = graph.holdMediaDownloads();
    try {
      expect((await post(webhook)).status).toBe(200);
      const pending = await storedMessage(wamid);
      expect(mediaState(pending)).toMatchObject({ mediaId: id, download: { state: 'pending', attempts: 0 } });
      // The download is under way (the CDN has the request) and still not finished.
      await eventually(() => expect(downloads(id)).toHaveLength(1));
      expect(mediaState(await storedMessage(wamid)).download?.state).toBe('pending');
      expectError((await mediaApi(pending.id).expect(404)).body, 'NOT_FOUND');
    } finally {
      slowCdn.release();
    }
    await eventually(async () => expect(mediaState(await storedMessage(wamid)).download?.state).toBe('stored'));
    expect(
      Buffer.compare(
        (
          await mediaApi((await storedMessage(wamid)).id)
            .responseType('blob')
            .expect(200)
        ).body as Buffer,
        Buffer.from('a large video, slowly'),
      ),
    ).toBe(0);
  });

  it('retries after a transient Graph failure, looking up a fresh URL for each attempt', async () => {
    const bytes = Buffer.from('sticker bytes');
    const id = mediaOnMeta(bytes, 'image/webp');
    graph.injectMediaFailure({ mediaId: id, code: 131016 }); // 503 "Service unavailable"
    graph.injectMediaFailure({ mediaId: id, stage: 'download', httpStatus: 502 });
    const webhook = metaMediaMessageWebhook({ phoneNumberId, type: 'sticker', media: { id, mime_type: 'image/webp' } });
    const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
    expect((await post(webhook)).status).toBe(200);

    await eventually(async () => expect(mediaState(await storedMessage(wamid)).download).toEqual({ state: 'stored', attempts: 3 }));
    expect(lookups(id).map((entry) => entry.status)).toEqual([503, 200, 200]);
    expect(downloads(id).map((entry) => entry.status)).toEqual([502, 200]);
    const message = await storedMessage(wamid);
    expect(Buffer.compare((await mediaApi(message.id).responseType('blob').expect(200)).body as Buffer, bytes)).toBe(0);
  });

  it('gives up at once when Meta no longer has the media, keeping the message with the reason', async () => {
    const webhook = metaMediaMessageWebhook({
      phoneNumberId,
      type: 'image',
      media: { id: '7777777777777777', mime_type: 'image/jpeg', caption: 'expired' },
    });
    const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
    expect((await post(webhook)).status).toBe(200);

    await eventually(async () => expect(mediaState(await storedMessage(wamid)).download?.state).toBe('failed'));
    const message = await storedMessage(wamid);
    expect(mediaState(message)).toMatchObject({
      mediaId: '7777777777777777',
      download: { state: 'failed', attempts: 1, error: expect.stringMatching(/^MEDIA_GONE: lookup of media 7777777777777777: .*does not exist/) },
    });
    expect(lookups('7777777777777777')).toHaveLength(1);
    expect(await harness.database.prisma.mediaDownload.count({ where: { messageId: message.id } })).toBe(0);
    const error = expectError((await mediaApi(message.id).expect(404)).body, 'NOT_FOUND');
    expect(error.details).toEqual({ reason: 'media_not_stored', download: 'failed' });
  });

  it('stores one message and one object when Meta delivers the webhook again', async () => {
    const id = mediaOnMeta(mediaSamples.png, 'image/png');
    const webhook = metaMediaMessageWebhook({ phoneNumberId, type: 'image', media: { id, mime_type: 'image/png' } });
    const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
    const responses = await Promise.all([post(webhook), post(webhook), post(webhook)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    await eventually(async () => expect(mediaState(await storedMessage(wamid)).download?.state).toBe('stored'));
    expect((await post(webhook)).status).toBe(200);
    await ingress.media.idle();

    const message = await storedMessage(wamid);
    expect(await harness.database.prisma.message.count({ where: { providerMessageId: wamid } })).toBe(1);
    expect(lookups(id)).toHaveLength(1);
    expect(mediaState(await storedMessage(wamid)).download).toEqual({ state: 'stored', attempts: 1 });
    const objects = await readdir(join(directory, 'media', owner.businessId, message.instanceId));
    expect(objects.filter((name) => name.startsWith(message.id) && !name.endsWith('.meta.json'))).toEqual([`${message.id}.png`]);
  });

  it('resumes a download after the process died in the middle of it', async () => {
    await ingress.close(); // only the dying process and then its successor run
    const bytes = Buffer.from('survives a crash');
    const id = mediaOnMeta(bytes, 'image/jpeg');
    // This process hangs on Meta (its request never comes back) and is then killed.
    const hanging = createGraphMediaClient({ graphUrl: graph.url, fetch: () => new Promise<Response>(() => undefined) });
    const dying = await startIngress({ graph: hanging, claimMs: 500 });
    const webhook = metaMediaMessageWebhook({ phoneNumberId, type: 'image', media: { id, mime_type: 'image/jpeg' } });
    const wamid = (webhook.entry[0]!.changes[0]!.value.messages as { id: string }[])[0]!.id;
    expect((await post(webhook, dying.url)).status).toBe(200);
    await eventually(async () =>
      expect(
        (await harness.database.prisma.mediaDownload.findUniqueOrThrow({ where: { messageId: (await storedMessage(wamid)).id } })).lockedUntil,
      ).not.toBeNull(),
    );
    await dying.close({ crash: true });

    // The restarted process sweeps at start; the dead one's claim runs out and the file is fetched.
    const restarted = (ingress = await startIngress());
    {
      await eventually(async () => expect(mediaState(await storedMessage(wamid)).download).toEqual({ state: 'stored', attempts: 1 }));
      expect(restarted.media.counters.stored).toBe(1);
      expect(lookups(id)).toHaveLength(1);
      const message = await storedMessage(wamid);
      expect(Buffer.compare((await mediaApi(message.id).responseType('blob').expect(200)).body as Buffer, bytes)).toBe(0);
    }
  });
});
