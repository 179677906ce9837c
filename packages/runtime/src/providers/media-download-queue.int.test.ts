import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMigrationsDirectory, migrateDatabase, recordInboundMessage, SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MediaDownloadError, type MessageContent } from '@app/domain';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { mediaSamples } from '@app/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaDownloadQueue, type MediaDownloadQueue, type MediaDownloadTimers } from './media-download-queue.ts';
import type { MediaDownloader } from './media-downloader.ts';

const logger = createLogger({ service: 'media-download-queue-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const textCodec = { encode: (source: string) => source, decode: (text: string) => text };

/** Time the test moves by hand; due callbacks run on `advance`. */
class ManualTimers implements MediaDownloadTimers {
  private current = Date.now();
  private pending: { dueAt: number; callback: () => void }[] = [];
  now = () => new Date(this.current);
  setTimeout(callback: () => void, delayMs: number) {
    const timer = { dueAt: this.current + delayMs, callback };
    this.pending.push(timer);
    return timer;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((timer) => timer !== handle);
  }
  advance(ms: number) {
    this.current += ms;
    const due = this.pending.filter((timer) => timer.dueAt <= this.current);
    this.pending = this.pending.filter((timer) => !due.includes(timer));
    for (const timer of due) timer.callback();
  }
}

/** A CDN under the test's control: each download waits until the test answers it. */
class GatedDownloader implements MediaDownloader<string> {
  readonly calls: string[] = [];
  private readonly gates: { resolve: (body: Buffer) => void; reject: (error: Error) => void }[] = [];
  download({ source }: { source: string }) {
    this.calls.push(source);
    return new Promise<{ body: Buffer }>((resolve, reject) => this.gates.push({ resolve: (body) => resolve({ body }), reject }));
  }
  answer(body: Buffer) {
    this.gates.shift()!.resolve(body);
  }
  fail(error: Error) {
    this.gates.shift()!.reject(error);
  }
}

let database: TestDatabase;
let directory: string;
let objectStore: ObjectStore;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(join(tmpdir(), 'media-queue-'));
  objectStore = createFileObjectStore(directory);
});
afterAll(async () => {
  await database?.drop();
  await rm(directory, { recursive: true, force: true });
});

function queue(
  downloader: MediaDownloader<string>,
  timers: MediaDownloadTimers,
  options: { claimMs?: number; maxAttempts?: number } = {},
): MediaDownloadQueue<string> {
  return createMediaDownloadQueue({
    prisma: database.prisma,
    objectStore,
    provider: 'META',
    downloader,
    sourceCodec: textCodec,
    secretBox,
    logger,
    timers,
    ...options,
  });
}

async function messageWithMedia(media: MediaDownloadQueue<string>, source: string) {
  const business = await database.prisma.business.create({ data: { name: 'Vivero' } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'META', name: 'Cloud API' } });
  const content: MessageContent = { kind: 'image', media: { mediaId: source, mimeType: 'image/png', caption: 'la planta' } };
  const recorded = await recordInboundMessage(database.prisma, {
    businessId: business.id,
    instanceId: instance.id,
    sender: { phone: '5215500000001' },
    providerMessageId: `wamid.${randomUUID()}`,
    sentAt: new Date(),
    content,
    mediaDownload: (messageId) => media.pendingDownload({ messageId, source }),
  });
  return { ...recorded, businessId: business.id, instanceId: instance.id };
}

/** The message.content-changed events enqueued for a message, in order. */
const announced = async (messageId: string) =>
  (await database.prisma.outboxEvent.findMany({ where: { topic: 'messages.status' }, orderBy: { id: 'asc' } }))
    .map((row) => row.payload as { type: string; data: { messageId: string; conversationId: string; change: string } })
    .filter((event) => event.type === 'message.content-changed' && event.data.messageId === messageId)
    .map(({ data }) => ({ change: data.change, messageId: data.messageId, conversationId: data.conversationId }));

const mediaOf = async (messageId: string) =>
  ((await database.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).content as { media: Record<string, unknown> }).media;

describe('the shared media download queue', () => {
  it('stores the message pending with a sealed row, downloads once even when two replicas try, and marks it stored', async () => {
    const timers = new ManualTimers();
    const downloader = new GatedDownloader();
    const [first, second] = [queue(downloader, timers), queue(downloader, timers)];
    const message = await messageWithMedia(first, 'media-1');
    expect(await mediaOf(message.messageId)).toMatchObject({ mediaId: 'media-1', download: { state: 'pending', attempts: 0 } });
    const row = await database.prisma.mediaDownload.findUniqueOrThrow({ where: { messageId: message.messageId } });
    expect(row).toMatchObject({ provider: 'META', attempts: 0, businessId: message.businessId });
    expect(row.source).not.toContain('media-1');

    first.kick(message.messageId);
    await expect.poll(() => downloader.calls.length).toBe(1);
    // The second replica sees the row claimed: not swept, and a direct try finds it taken.
    expect(await second.retryDue()).toBe(0);
    second.kick(message.messageId);
    await second.idle();
    expect(downloader.calls).toEqual(['media-1']);

    downloader.answer(mediaSamples.png);
    await first.idle();
    const media = await mediaOf(message.messageId);
    const key = `media/${message.businessId}/${message.instanceId}/${message.messageId}.png`;
    expect(media).toEqual({
      mediaId: key,
      mimeType: 'image/png',
      caption: 'la planta',
      size: mediaSamples.png.length,
      download: { state: 'stored', attempts: 1 },
    });
    expect(await objectStore.get(key)).toEqual({ body: mediaSamples.png, contentType: 'image/png' });
    expect(await database.prisma.mediaDownload.count({ where: { messageId: message.messageId } })).toBe(0);
    // Open consoles are told once, in the same transaction, so the placeholder becomes the picture.
    expect(await announced(message.messageId)).toEqual([{ change: 'media', messageId: message.messageId, conversationId: message.conversationId }]);
  });

  it('resumes a download whose worker died once its claim runs out (a restarted process sweeps at start)', async () => {
    const timers = new ManualTimers();
    const crashed = new GatedDownloader();
    const message = await messageWithMedia(queue(crashed, timers), 'media-2');
    const dying = queue(crashed, timers, { claimMs: 60_000 });
    dying.kick(message.messageId);
    await expect.poll(() => crashed.calls.length).toBe(1); // …and the process dies mid-download: never answered.

    const downloader = new GatedDownloader();
    const restarted = queue(downloader, timers);
    restarted.start();
    await restarted.idle();
    expect(downloader.calls).toHaveLength(0); // still claimed by the dead worker
    timers.advance(61_000); // the claim ran out; the periodic sweep (60 s) finds the row due
    await expect.poll(() => downloader.calls.length).toBe(1);
    downloader.answer(Buffer.from('second try'));
    await restarted.idle();
    expect(await mediaOf(message.messageId)).toMatchObject({ download: { state: 'stored', attempts: 1 }, size: 10 });
    await restarted.stop();
  });

  it('retries a temporary failure later and gives a permanent one up at once, with the reason on the message', async () => {
    const timers = new ManualTimers();
    const downloader = new GatedDownloader();
    const media = queue(downloader, timers);
    const message = await messageWithMedia(media, 'media-3');
    media.kick(message.messageId);
    await expect.poll(() => downloader.calls.length).toBe(1);
    downloader.fail(new MediaDownloadError('MEDIA_TEMPORARY', 'Graph API answered HTTP 503'));
    await media.idle();
    expect((await mediaOf(message.messageId))['download']).toEqual({
      state: 'pending',
      attempts: 1,
      error: 'MEDIA_TEMPORARY: Graph API answered HTTP 503',
    });
    expect(await media.retryDue()).toBe(0);

    timers.advance(30_000);
    expect(await media.retryDue()).toBe(1);
    await expect.poll(() => downloader.calls.length).toBe(2);
    downloader.fail(new MediaDownloadError('MEDIA_GONE', 'the media id does not exist'));
    await media.idle();
    const given = await mediaOf(message.messageId);
    expect(given).toMatchObject({ mediaId: 'media-3', download: { state: 'failed', attempts: 2, error: 'MEDIA_GONE: the media id does not exist' } });
    expect(await database.prisma.mediaDownload.count({ where: { messageId: message.messageId } })).toBe(0);
    expect(media.counters).toEqual({ stored: 0, failedAttempts: 2, givenUp: 1 });
    // The retry on the way was not announced; giving up was.
    expect(await announced(message.messageId)).toEqual([{ change: 'media', messageId: message.messageId, conversationId: message.conversationId }]);
  });

  it('counts an object store that is down as a failed attempt, and stores the file on the retry', async () => {
    const timers = new ManualTimers();
    const downloader = new GatedDownloader();
    let outages = 1;
    const flakyStore: ObjectStore = {
      ...objectStore,
      put: async (key, body, contentType) => {
        if (outages-- > 0) throw new Error('connect ECONNREFUSED 127.0.0.1:9000');
        await objectStore.put(key, body, contentType);
      },
    };
    const media = createMediaDownloadQueue({
      prisma: database.prisma,
      objectStore: flakyStore,
      provider: 'META',
      downloader,
      sourceCodec: textCodec,
      secretBox,
      logger,
      timers,
    });
    const message = await messageWithMedia(media, 'media-5');
    media.kick(message.messageId);
    await expect.poll(() => downloader.calls.length).toBe(1);
    downloader.answer(Buffer.from('bytes'));
    await media.idle();
    expect((await mediaOf(message.messageId))['download']).toEqual({ state: 'pending', attempts: 1, error: 'connect ECONNREFUSED 127.0.0.1:9000' });

    timers.advance(30_000);
    await media.retryDue();
    await expect.poll(() => downloader.calls.length).toBe(2);
    downloader.answer(Buffer.from('bytes'));
    await media.idle();
    expect((await mediaOf(message.messageId))['download']).toEqual({ state: 'stored', attempts: 2 });
  });

  it('writes no second row for a redelivered message', async () => {
    const media = queue(new GatedDownloader(), new ManualTimers());
    const message = await messageWithMedia(media, 'media-4');
    const stored = await database.prisma.message.findUniqueOrThrow({ where: { id: message.messageId } });
    const again = await recordInboundMessage(database.prisma, {
      businessId: message.businessId,
      instanceId: message.instanceId,
      sender: { phone: '5215500000001' },
      providerMessageId: stored.providerMessageId!,
      sentAt: new Date(),
      content: { kind: 'image', media: { mediaId: 'media-4' } },
      mediaDownload: (messageId) => media.pendingDownload({ messageId, source: 'media-4' }),
    });
    expect(again).toMatchObject({ duplicate: true, messageId: message.messageId });
    expect(await database.prisma.mediaDownload.count({ where: { instanceId: message.instanceId } })).toBe(1);
  });
});

describe('migration 0004_media_download', () => {
  it('keeps the Baileys downloads pending at upgrade time, now as provider BAILEYS rows', async () => {
    const upgraded = await createTestDatabase({ migrated: false });
    const migrations = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      for (const name of ['0001_init', '0002_baileys_auth_state', '0003_baileys_media_download', 'migration_lock.toml']) {
        await cp(join(defaultMigrationsDirectory, name), join(migrations, name), { recursive: true });
      }
      await migrateDatabase(upgraded, { migrationsDirectory: migrations });
      const [business] = await upgraded.prisma.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO business (id, name, "updatedAt") VALUES (gen_random_uuid(), 'Loja', now()) RETURNING id`,
      );
      const [instance] = await upgraded.prisma.$queryRawUnsafe<{ id: string }[]>(
        `INSERT INTO instance (id, "businessId", provider, name, "updatedAt") VALUES (gen_random_uuid(), $1::uuid, 'BAILEYS', 'Loja', now()) RETURNING id`,
        business!.id,
      );
      const messageId = randomUUID();
      await upgraded.prisma.$executeRawUnsafe(
        `INSERT INTO baileys_media_download ("messageId", "businessId", "instanceId", source, attempts) VALUES ($1::uuid, $2::uuid, $3::uuid, 'sealed', 2)`,
        messageId,
        business!.id,
        instance!.id,
      );

      expect((await migrateDatabase(upgraded)).applied).toContain('0004_media_download');
      expect(await upgraded.prisma.mediaDownload.findMany()).toEqual([
        expect.objectContaining({ messageId, provider: 'BAILEYS', source: 'sealed', attempts: 2, instanceId: instance!.id }),
      ]);
    } finally {
      await upgraded.drop();
      await rm(migrations, { recursive: true, force: true });
    }
  });
});
