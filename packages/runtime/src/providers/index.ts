// What every provider service (Cloud API, Baileys, the sandbox) shares: the outbound egress subscription and the
// inbound media download queue. Their rows are read and written through @app/db's repositories.
export { providerEgressSubscription } from './provider-egress.subscription.ts';
export type { ProviderEgressOptions, SendRequest } from './provider-egress.subscription.ts';
export { createMediaDownloadQueue } from './media-download-queue.ts';
export type { MediaDownloadQueue, MediaDownloadQueueDependencies, MediaDownloadTimers } from './media-download-queue.ts';
export type { DownloadedMedia, MediaDownloader, MediaSourceCodec } from './media-downloader.ts';
// What a stored file really is (magic numbers), for every upload path that keeps customer or operator bytes.
export { sniffMediaType } from './sniff-media-type.ts';
