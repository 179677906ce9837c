import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@app/runtime/service';
import type { WAMessage } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaileysMediaDownloader } from './media-downloader.ts';

const logger = createLogger({ service: 'media-downloader-test', level: 'silent' });
let cdn: Server;
let cdnUrl: string;

beforeAll(async () => {
  // WhatsApp's CDN after the media expired: 404 (Baileys then asks the phone to upload it again).
  cdn = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
});
afterAll(() => cdn.close());

describe('re-upload of expired media', () => {
  it('gives up on a phone that never answers the re-upload request, so the queue can retry later', async () => {
    let asked = 0;
    const downloader = createBaileysMediaDownloader({
      logger,
      reuploadTimeoutMs: 200,
      // rc14's updateMediaMessage waits for the phone's answer with no limit: an offline phone never answers.
      reuploadSocket: () => ({ updateMediaMessage: () => ((asked += 1), new Promise<WAMessage>(() => undefined)) }),
    });
    const source = {
      key: { remoteJid: '5511999990001@s.whatsapp.net', fromMe: false, id: '3EB0EXPIRED0001' },
      message: { imageMessage: { url: `${cdnUrl}/v/t62.7118-24/expired.enc`, mediaKey: Buffer.alloc(32, 7), mimetype: 'image/jpeg' } },
    };
    const startedAt = Date.now();
    await expect(downloader.download({ instanceId: 'i-1', source } as never)).rejects.toThrow(/did not re-upload/);
    expect(asked).toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });
});
