import type { MediaDownloader } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys';
import type { MediaSource } from './media-source.ts';

/** Fetches and decrypts one WhatsApp Web media file. Production uses Baileys; tests inject bytes. */
export type BaileysMediaDownloader = MediaDownloader<MediaSource>;

export interface BaileysMediaDownloaderDependencies {
  logger: Logger;
  /** The open socket of an instance, when this process has one: expired media (404/410) are re-requested through it. */
  reuploadSocket?: (instanceId: string) => { updateMediaMessage?: (message: WAMessage) => Promise<WAMessage> } | null;
  /** How long to wait for the phone to re-upload (default 60 s); then the download fails and the queue retries later. */
  reuploadTimeoutMs?: number;
}

/**
 * Baileys' own `downloadMediaMessage` (WhatsApp's CDN, AES-256-CBC with keys derived from the message's media key).
 * When the CDN says the file is gone (404/410), the phone is asked to upload it again through the open socket, and
 * given 60 s to do so.
 */
export function createBaileysMediaDownloader(deps: BaileysMediaDownloaderDependencies): BaileysMediaDownloader {
  return {
    async download({ instanceId, source }) {
      const socket = deps.reuploadSocket?.(instanceId) ?? null;
      const reuploadRequest = async (stale: WAMessage): Promise<WAMessage> => {
        if (!socket?.updateMediaMessage) throw new Error('the media expired and the session is not open to re-request it');
        // Baileys waits for the phone without a limit: an offline phone would hold a slot of the shared queue.
        return withTimeout(socket.updateMediaMessage(stale), deps.reuploadTimeoutMs ?? 60_000);
      };
      const context = { logger: deps.logger.child({ component: 'baileys-media', instanceId }) as never, reuploadRequest };
      const message = { key: source.key, message: source.message } as WAMessage;
      try {
        return { body: await downloadMediaMessage(message, 'buffer', {}, context) };
      } catch (error) {
        // rc14 re-requests only on an error with `status` 404/410, but its own fetch fails with a Boom
        // (`output.statusCode`): it never re-requests by itself.
        if (!cdnSaysExpired(error)) throw error;
        return { body: await downloadMediaMessage(await reuploadRequest(message), 'buffer', {}, context) };
      }
    },
  };
}

function cdnSaysExpired(error: unknown): boolean {
  const status = (error as { output?: { statusCode?: number } } | null)?.output?.statusCode;
  return status === 404 || status === 410;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the phone did not re-upload the expired media within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
