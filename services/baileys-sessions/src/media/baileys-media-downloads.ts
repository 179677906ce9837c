import { createMediaDownloadQueue, type MediaDownloadQueue, type MediaDownloadQueueDependencies } from '@app/runtime/providers';
import type { BaileysMediaDownloader } from './media-downloader.ts';
import { baileysMediaSourceCodec, type MediaSource } from './media-source.ts';

export type BaileysMediaDownloads = MediaDownloadQueue<MediaSource>;

export type BaileysMediaDownloadsDependencies = Omit<MediaDownloadQueueDependencies<MediaSource>, 'provider' | 'sourceCodec' | 'downloader'> & {
  downloader: BaileysMediaDownloader;
};

/**
 * The shared media download queue (@app/db) for WhatsApp Web: rows of provider BAILEYS, the source being the
 * message key and the encrypted-media descriptor (sealed: it holds the media key).
 */
export function createBaileysMediaDownloads(deps: BaileysMediaDownloadsDependencies): BaileysMediaDownloads {
  return createMediaDownloadQueue({ ...deps, provider: 'BAILEYS', sourceCodec: baileysMediaSourceCodec });
}
