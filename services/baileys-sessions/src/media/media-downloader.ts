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
}

/**
 * Baileys' own `downloadMediaMessage` (WhatsApp's CDN, AES-256-CBC with keys derived from the message's media key).
 * When the CDN says the file is gone, Baileys asks the phone to upload it again through the open socket.
 */
export function createBaileysMediaDownloader(deps: BaileysMediaDownloaderDependencies): BaileysMediaDownloader {
  return {
    async download({ instanceId, source }) {
      const socket = deps.reuploadSocket?.(instanceId) ?? null;
      const message = { key: source.key, message: source.message } as WAMessage;
      const body = await downloadMediaMessage(message, 'buffer', {}, {
        logger: deps.logger.child({ component: 'baileys-media', instanceId }) as never,
        reuploadRequest: async (stale) => {
          if (!socket?.updateMediaMessage) throw new Error('the media expired and the session is not open to re-request it');
          return socket.updateMediaMessage(stale);
        },
      });
      return { body };
    },
  };
}
