import type { PrismaClient, SecretBox } from '@app/db';
import type { ObjectStore } from '@app/runtime/ports';
import { createMediaDownloadQueue, type MediaDownloadQueue, type MediaDownloadQueueDependencies } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import { accessTokenFromSecretBox } from '../egress/meta-egress.subscription.ts';
import { createGraphMediaClient, type GraphMediaClient } from './graph-media-client.ts';
import { createMetaMediaDownloader } from './meta-media-downloader.ts';
import { metaMediaSourceCodec, type MetaMediaSource } from './meta-media-source.ts';

export type MetaMediaDownloads = MediaDownloadQueue<MetaMediaSource>;

type QueueTuning = Pick<
  MediaDownloadQueueDependencies<MetaMediaSource>,
  'timers' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'sweepIntervalMs' | 'concurrency' | 'claimMs'
>;

export interface MetaMediaDownloadsDependencies {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  /** The credentials key's box: reads the instances' access tokens and seals the download sources. */
  secretBox: SecretBox;
  logger: Logger;
  config: { META_GRAPH_URL: string; META_MEDIA_RETRY_SECONDS: number; META_MEDIA_MAX_ATTEMPTS: number };
  /** Default: the Graph API at META_GRAPH_URL over global fetch. */
  graph?: GraphMediaClient;
  /** Tests shorten the backoff and the sweep. */
  tuning?: Partial<QueueTuning>;
}

/**
 * Inbound Cloud API media → the object store: the shared download queue (@app/db) with the Graph API downloader,
 * on rows of provider META. Every replica may run it (a row is claimed before it is fetched). Pass it to
 * `createMetaWebhooksRouter({ media })`; call `start()` once serving and `stop()` on shutdown.
 */
export function createMetaMediaDownloads(deps: MetaMediaDownloadsDependencies): MetaMediaDownloads {
  const graph = deps.graph ?? createGraphMediaClient({ graphUrl: deps.config.META_GRAPH_URL });
  return createMediaDownloadQueue({
    prisma: deps.prisma,
    objectStore: deps.objectStore,
    provider: 'META',
    downloader: createMetaMediaDownloader({ prisma: deps.prisma, graph, readAccessToken: accessTokenFromSecretBox(deps.secretBox) }),
    sourceCodec: metaMediaSourceCodec,
    secretBox: deps.secretBox,
    logger: deps.logger,
    sweepIntervalMs: deps.config.META_MEDIA_RETRY_SECONDS * 1_000,
    maxAttempts: deps.config.META_MEDIA_MAX_ATTEMPTS,
    ...deps.tuning,
  });
}
