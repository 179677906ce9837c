import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { MessageSendRequested } from '@app/domain';
import { createFileObjectStore } from '@app/runtime/local';
import type { ObjectStore } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { mediaSamples } from '@app/testkit';
import { BufferJSON, type WAMessage } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaileysEgressHandler } from '../src/egress/baileys-egress.subscription.ts';
import { createBaileysIngest, type BaileysIngest } from '../src/ingest/baileys-ingest.ts';
import { createBaileysMediaDownloads, type BaileysMediaDownloads } from '../src/media/baileys-media-downloads.ts';
import type { BaileysMediaDownloader } from '../src/media/media-downloader.ts';
import { parseOggOpus } from '../src/media/ogg-opus.ts';
import { createFfmpegVoiceNoteConverter } from '../src/media/voice-note-converter.ts';
import { FakeTimers } from './support/fake-timers.ts';
import { FakeSocket } from './support/fake-socket.ts';

const logger = createLogger({ service: 'baileys-media-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
const fixtures = new URL('../../../packages/testkit/fixtures/baileys/', import.meta.url).pathname;

function upsert(name: string, edit?: (message: WAMessage) => void): { type: 'notify'; messages: WAMessage[] } {
  const parsed = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8'), BufferJSON.reviver) as { type: 'notify'; messages: WAMessage[] };
  if (edit) parsed.messages.forEach(edit);
  return parsed;
}

/** Plays WhatsApp's CDN: bytes per message id, and a number of failures to serve first. */
class ScriptedDownloader implements BaileysMediaDownloader {
  readonly calls: string[] = [];
  readonly failures = new Map<string, number>();
  readonly bodies = new Map<string, Buffer>();
  async download({ source }: Parameters<BaileysMediaDownloader['download']>[0]): Promise<{ body: Buffer }> {
    const id = source.key.id!;
    this.calls.push(id);
    const left = this.failures.get(id) ?? 0;
    if (left > 0) {
      this.failures.set(id, left - 1);
      throw new Error('Failed to fetch stream from https://mmg.whatsapp.net/… status code 503');
    }
    return { body: this.bodies.get(id) ?? Buffer.from(`bytes of ${id}`) };
  }
}

let database: TestDatabase;
let directory: string;
let objectStore: ObjectStore;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(join(tmpdir(), 'baileys-media-'));
  objectStore = createFileObjectStore(directory);
});
afterAll(async () => {
  await database.drop();
  await rm(directory, { recursive: true, force: true });
});

async function tenant(name: string, slot: number) {
  const business = await database.prisma.business.create({ data: { name } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name, slot } });
  return { business, instance };
}

function pipeline(downloader: BaileysMediaDownloader, timers: FakeTimers, maxAttempts = 8): { ingest: BaileysIngest; media: BaileysMediaDownloads } {
  const media = createBaileysMediaDownloads({
    prisma: database.prisma,
    objectStore,
    downloader,
    secretBox,
    logger,
    ownsInstance: () => true,
    timers,
    maxAttempts,
  });
  const ingest = createBaileysIngest({ prisma: database.prisma, logger, media, timers });
  return { ingest, media };
}

const byProviderId = (instanceId: string, providerMessageId: string) =>
  database.prisma.message.findFirstOrThrow({ where: { instanceId, providerMessageId } });

describe('inbound media → object store', () => {
  it('stores every media kind, records key, mime and size, and never downloads a redelivered message twice', async () => {
    const { business, instance } = await tenant('Padaria', 20);
    const downloader = new ScriptedDownloader();
    const { ingest, media } = pipeline(downloader, new FakeTimers());
    const kinds = { image: 'jpg', video: 'mp4', 'voice-note': 'ogg', 'audio-file': 'mp3', 'document-with-caption': 'pdf', sticker: 'webp' };
    // What the fixtures claim, and what the bytes are, agree: the claim is kept.
    const claimed = {
      image: 'image/jpeg',
      video: 'video/mp4',
      'voice-note': 'audio/ogg; codecs=opus',
      'audio-file': 'audio/mpeg',
      'document-with-caption': 'application/pdf',
      sticker: 'image/webp',
    };
    const samples = {
      image: 'jpeg',
      video: 'mp4',
      'voice-note': 'oggOpus',
      'audio-file': 'mp3',
      'document-with-caption': 'pdf',
      sticker: 'webp',
    } as const;
    for (const [name, sample] of Object.entries(samples)) downloader.bodies.set(upsert(name).messages[0]!.key.id!, mediaSamples[sample]);
    for (const name of Object.keys(kinds)) ingest.onMessages(instance.id, upsert(name));
    ingest.onMessages(instance.id, upsert('image'));
    await ingest.idle();
    await media.idle();

    expect(ingest.counters.duplicates).toBe(1);
    for (const [name, extension] of Object.entries(kinds)) {
      const id = upsert(name).messages[0]!.key.id!;
      const message = await byProviderId(instance.id, id);
      const stored = (message.content as { media: { mediaId: string; size: number; mimeType: string; download: unknown } }).media;
      expect(stored.mediaId).toBe(`media/${business.id}/${instance.id}/${message.id}.${extension}`);
      expect(stored.download).toEqual({ state: 'stored', attempts: 1 });
      const object = await objectStore.get(stored.mediaId);
      expect(object?.body).toEqual(mediaSamples[samples[name as keyof typeof samples]]);
      expect(stored.size).toBe(object!.body.length);
      expect(stored.mimeType).toBe(claimed[name as keyof typeof claimed]);
      expect(object?.contentType).toBe(stored.mimeType);
    }
    expect(downloader.calls.filter((id) => id === upsert('image').messages[0]!.key.id)).toHaveLength(1);
    expect(await database.prisma.mediaDownload.count({ where: { instanceId: instance.id } })).toBe(0);
  }, 60_000);

  it('stores the type the bytes have, never the one the sender claims: HTML or SVG is only ever application/octet-stream', async () => {
    const { business, instance } = await tenant('Floricultura', 27);
    const downloader = new ScriptedDownloader();
    const { ingest, media } = pipeline(downloader, new FakeTimers());
    const claims = [
      { id: '3EB0XSS0000000000001', fixture: 'image', claimed: 'image/png', body: mediaSamples.svg },
      { id: '3EB0XSS0000000000002', fixture: 'document-with-caption', claimed: 'text/html', body: mediaSamples.html },
      { id: '3EB0XSS0000000000003', fixture: 'document-with-caption', claimed: 'image/svg+xml', body: mediaSamples.svg },
      // A real JPEG sent as a "PDF" is stored as what it is.
      { id: '3EB0XSS0000000000004', fixture: 'image', claimed: 'application/pdf', body: mediaSamples.jpeg },
    ] as const;
    for (const { id, fixture, claimed, body } of claims) {
      downloader.bodies.set(id, body);
      ingest.onMessages(
        instance.id,
        upsert(fixture, (message) => {
          message.key = { ...message.key, id };
          const media = message.message!.imageMessage ?? message.message!.documentWithCaptionMessage!.message!.documentMessage!;
          media.mimetype = claimed;
        }),
      );
    }
    await ingest.idle();
    await media.idle();

    const stored = await Promise.all(claims.map(({ id }) => byProviderId(instance.id, id)));
    const types = [];
    for (const message of stored) {
      const { mediaId, mimeType } = (message.content as { media: { mediaId: string; mimeType: string } }).media;
      const object = await objectStore.get(mediaId);
      expect(object?.contentType).toBe(mimeType);
      types.push([mediaId.replace(`media/${business.id}/${instance.id}/${message.id}`, ''), mimeType]);
    }
    expect(types).toEqual([
      ['', 'application/octet-stream'],
      ['', 'application/octet-stream'],
      ['', 'application/octet-stream'],
      ['.jpg', 'image/jpeg'],
    ]);
  }, 60_000);

  it('keeps a message whose download fails, shows the retry state, and stores the file on a later sweep', async () => {
    const { instance } = await tenant('Oficina', 21);
    const downloader = new ScriptedDownloader();
    const timers = new FakeTimers(new Date());
    const { ingest, media } = pipeline(downloader, timers);
    const id = upsert('voice-note').messages[0]!.key.id!;
    downloader.failures.set(id, 1);
    media.start();
    ingest.onMessages(instance.id, upsert('voice-note'));
    await ingest.idle();
    await media.idle();

    const pending = await byProviderId(instance.id, id);
    expect(pending.kind).toBe('audio');
    expect((pending.content as { media: { download: unknown; mediaId?: string } }).media).toMatchObject({
      download: { state: 'pending', attempts: 1, error: expect.stringContaining('503') },
    });
    expect((pending.content as { media: { mediaId?: string } }).media.mediaId).toBeUndefined();
    const row = await database.prisma.mediaDownload.findUniqueOrThrow({ where: { messageId: pending.id } });
    expect(row.source).not.toContain('mmg.whatsapp.net'); // sealed: it holds the media key
    expect(await media.retryDue()).toBe(0); // not due yet

    await timers.advance(61_000); // backoff 30 s, the sweep runs every 60 s
    await media.idle();
    const stored = await byProviderId(instance.id, id);
    expect((stored.content as { media: { download: unknown; mediaId: string } }).media.download).toEqual({ state: 'stored', attempts: 2 });
    expect(await database.prisma.mediaDownload.count({ where: { messageId: stored.id } })).toBe(0);
    await media.stop();
  }, 60_000);

  it('gives a file up after the last attempt, keeping the message', async () => {
    const { instance } = await tenant('Mercado', 22);
    const downloader = new ScriptedDownloader();
    const timers = new FakeTimers(new Date());
    const { ingest, media } = pipeline(downloader, timers, 2);
    const id = upsert('document-with-caption').messages[0]!.key.id!;
    downloader.failures.set(id, 5);
    ingest.onMessages(instance.id, upsert('document-with-caption'));
    await ingest.idle();
    await media.idle();
    await timers.advance(31_000);
    await media.retryDue();
    await media.idle();
    const message = await byProviderId(instance.id, id);
    expect((message.content as { media: { download: unknown; caption: string } }).media).toMatchObject({
      download: { state: 'failed', attempts: 2 },
      caption: expect.any(String),
    });
    expect(await database.prisma.mediaDownload.count({ where: { messageId: message.id } })).toBe(0);
    expect(media.counters.givenUp).toBe(1);
  }, 60_000);
});

describe('edits and deletes change the original message, idempotently and per tenant', () => {
  it('edits the text with a history, deletes with a flag, ignores redeliveries, strangers and other tenants', async () => {
    const mine = await tenant('Loja A', 23);
    const other = await tenant('Loja B', 24);
    const { ingest } = pipeline(new ScriptedDownloader(), new FakeTimers());
    ingest.onMessages(mine.instance.id, upsert('text'));
    ingest.onMessages(other.instance.id, upsert('text'));
    await ingest.idle();
    const original = await byProviderId(mine.instance.id, '3EB0A1B2C3D4E5F60001');

    ingest.onMessages(mine.instance.id, upsert('edit'));
    ingest.onMessages(mine.instance.id, upsert('edit'));
    // Someone else naming the same message cannot change it.
    ingest.onMessages(
      mine.instance.id,
      upsert('edit', (message) => {
        message.key = { ...message.key, id: '3EB0STRANGER', remoteJid: '555555555555555@lid', remoteJidAlt: '5511900000000@s.whatsapp.net' };
      }),
    );
    await ingest.idle();
    const edited = await byProviderId(mine.instance.id, '3EB0A1B2C3D4E5F60001');
    expect(edited.id).toBe(original.id);
    expect(edited.text).toBe('Olá! Vocês abrem no domingo?');
    expect(edited.content).toMatchObject({
      kind: 'text',
      text: 'Olá! Vocês abrem no domingo?',
      editedAt: '2026-01-01T00:01:00.000Z',
      editHistory: [{ providerMessageId: '3EB0A1B2C3D4E5F60017', at: '2026-01-01T00:01:00.000Z', previousText: 'Olá! Vocês abrem no sábado? 😊' }],
    });
    expect(ingest.counters.changes).toMatchObject({ applied: 1, duplicate: 1, 'not-author': 1 });

    ingest.onMessages(mine.instance.id, upsert('revoke'));
    ingest.onMessages(mine.instance.id, upsert('revoke'));
    await ingest.idle();
    const deleted = await byProviderId(mine.instance.id, '3EB0A1B2C3D4E5F60001');
    expect(deleted.content).toMatchObject({ deletedAt: '2026-01-01T00:00:00.000Z', text: 'Olá! Vocês abrem no domingo?' });
    expect(ingest.counters.changes).toMatchObject({ applied: 2, duplicate: 2 });

    // The other tenant's copy of the same WhatsApp message id is untouched; no rows were added for the changes.
    const untouched = await byProviderId(other.instance.id, '3EB0A1B2C3D4E5F60001');
    expect(untouched.text).toBe('Olá! Vocês abrem no sábado? 😊');
    expect(untouched.content).not.toHaveProperty('editHistory');
    expect(untouched.content).not.toHaveProperty('deletedAt');
    expect(await database.prisma.message.count({ where: { instanceId: mine.instance.id } })).toBe(1);

    // Each applied change told open consoles once (redeliveries and strangers told nobody), and the inbox preview
    // of the conversation follows the newest message's change.
    const announced = await database.prisma.outboxEvent.findMany({
      where: { topic: 'messages.status', key: original.conversationId },
      orderBy: { id: 'asc' },
    });
    expect(announced.map((row) => row.payload as { type: string; data: { change: string; messageId: string } })).toEqual([
      expect.objectContaining({ type: 'message.content-changed', data: expect.objectContaining({ change: 'edited', messageId: original.id }) }),
      expect.objectContaining({ type: 'message.content-changed', data: expect.objectContaining({ change: 'deleted', messageId: original.id }) }),
    ]);
    const conversation = await database.prisma.conversation.findUniqueOrThrow({ where: { id: original.conversationId } });
    expect(conversation.lastMessagePreview).toBe('[message deleted]');
  }, 60_000);

  it('keeps an edit of a message it never stored as a system message naming it', async () => {
    const { instance } = await tenant('Loja C', 25);
    const { ingest } = pipeline(new ScriptedDownloader(), new FakeTimers());
    ingest.onMessages(instance.id, upsert('edit'));
    await ingest.idle();
    const kept = await byProviderId(instance.id, '3EB0A1B2C3D4E5F60017');
    expect(kept.content).toMatchObject({
      kind: 'system',
      systemType: 'edited',
      text: 'Olá! Vocês abrem no domingo?',
      context: { providerMessageId: '3EB0A1B2C3D4E5F60001' },
    });
    expect(ingest.counters.changes).toMatchObject({ 'target-unknown': 1 });
  }, 60_000);
});

describe('outbound media from the object store', () => {
  it('sends an image with its stored bytes and type, and audio as a voice note converted to Ogg/Opus mono', async () => {
    const { business, instance } = await tenant('Café', 26);
    const { ingest } = pipeline(new ScriptedDownloader(), new FakeTimers());
    ingest.onMessages(instance.id, upsert('text'));
    await ingest.idle();
    const conversation = await database.prisma.conversation.findFirstOrThrow({ where: { instanceId: instance.id } });
    const socket = new FakeSocket(instance.id, {} as never);
    socket.open();
    const handler = createBaileysEgressHandler({
      prisma: database.prisma,
      sessions: { session: () => ({ openSocket: () => socket, status: () => ({ state: 'open' }) as never }) },
      logger,
      objectStore,
      voiceNotes: createFfmpegVoiceNoteConverter(),
      governorConfig: () => ({ minGapPerRecipientMs: 0, jitterMs: 0, minTypingMs: 0, maxTypingMs: 0 }),
    });
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await objectStore.put(`outbound/${business.id}/menu.png`, png, 'image/png');
    await objectStore.put(`outbound/${business.id}/note.wav`, wavTone(1.2), 'audio/wav');
    const outbound = async (kind: string, content: object) => {
      const message = await database.prisma.message.create({
        data: {
          businessId: business.id,
          conversationId: conversation.id,
          instanceId: instance.id,
          direction: 'OUTBOUND',
          author: 'OPERATOR',
          kind,
          content,
          status: 'PENDING',
          sentAt: new Date(),
        },
      });
      const event = MessageSendRequested.create({
        businessId: business.id,
        instanceId: instance.id,
        conversationId: conversation.id,
        contactId: conversation.contactId,
        messageId: message.id,
        provider: 'BAILEYS',
        bufferId: null,
      });
      expect(await handler.handler(event)).toBe('success');
      return database.prisma.message.findUniqueOrThrow({ where: { id: message.id } });
    };

    const image = await outbound('image', { kind: 'image', media: { mediaId: `outbound/${business.id}/menu.png`, caption: 'cardápio' } });
    expect(image.status).toBe('SENT');
    expect(socket.sent[0]!.content).toEqual({ image: png, caption: 'cardápio', mimetype: 'image/png' });

    const voice = await outbound('audio', { kind: 'audio', voice: true, media: { mediaId: `outbound/${business.id}/note.wav` } });
    expect(voice.status).toBe('SENT');
    const note = socket.sent[1]!.content as { audio: Buffer; ptt: boolean; mimetype: string; seconds: number };
    expect(note).toMatchObject({ ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 1 });
    expect(parseOggOpus(note.audio)).toMatchObject({ channels: 1 });

    const missing = await outbound('document', { kind: 'document', media: { mediaId: `outbound/${business.id}/gone.pdf`, filename: 'gone.pdf' } });
    expect(missing).toMatchObject({ status: 'FAILED', errorCode: 'BAILEYS_MEDIA_MISSING' });
    expect(socket.sent).toHaveLength(2);
  }, 90_000);
});

/** 16-bit mono 16 kHz PCM WAV of a tone. */
function wavTone(seconds: number): Buffer {
  const rate = 16_000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let index = 0; index < data.length / 2; index++) data.writeInt16LE(Math.round(Math.sin(index / 5) * 8_000), index * 2);
  const header = Buffer.alloc(44);
  header.write('RIFFxxxxWAVEfmt ', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
