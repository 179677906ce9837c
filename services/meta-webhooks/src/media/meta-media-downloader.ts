import type { PrismaClient } from '@app/db';
import { MediaDownloadError } from '@app/domain';
import type { MediaDownloader } from '@app/runtime/providers';
import { GraphApiError } from '../egress/graph-api-client.ts';
import type { MetaInstanceCredentials } from '../egress/meta-egress.subscription.ts';
import type { GraphMediaClient, GraphMediaInfo } from './graph-media-client.ts';
import { mediaLookupFailure, mediaUrlFailure, sha256Matches } from './media-failure.ts';
import type { MetaMediaSource } from './meta-media-source.ts';

/** Meta: inbound media over 100 MB never reach the business (webhook error 131052); nothing larger is accepted. */
export const maxCloudApiMediaBytes = 100 * 1024 * 1024;

export interface MetaMediaDownloaderDependencies {
  prisma: PrismaClient;
  graph: GraphMediaClient;
  /** The instance's Cloud API access token, decrypted (see `accessTokenFromSecretBox`). */
  readAccessToken(instance: MetaInstanceCredentials): string;
  maxBytes?: number;
}

/**
 * One Cloud API media file (protocols.md §1.8): look the media id up for a fresh URL (valid 5 minutes, so never
 * reused across attempts), then GET that URL with the same Bearer token; refuse more than 100 MB and check the
 * announced SHA-256 and size. Failures are mapped to retry or give up (media-failure.ts).
 */
export function createMetaMediaDownloader(deps: MetaMediaDownloaderDependencies): MediaDownloader<MetaMediaSource> {
  const maxBytes = deps.maxBytes ?? maxCloudApiMediaBytes;

  async function accessTokenOf(instanceId: string): Promise<string> {
    const instance = await deps.prisma.instance.findUnique({ where: { id: instanceId }, select: { id: true, encryptedCredentials: true } });
    if (!instance) throw new MediaDownloadError('MEDIA_REJECTED', 'the instance no longer exists');
    try {
      return deps.readAccessToken(instance);
    } catch (error) {
      throw new MediaDownloadError('MEDIA_CREDENTIALS', `the instance's access token cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }

  return {
    async download({ instanceId, source }) {
      const accessToken = await accessTokenOf(instanceId);
      let info: GraphMediaInfo;
      try {
        info = await deps.graph.lookupMedia({ mediaId: source.mediaId, phoneNumberId: source.phoneNumberId, accessToken });
      } catch (error) {
        if (error instanceof GraphApiError) throw mediaLookupFailure(source.mediaId, error.parsed);
        throw error;
      }
      if (info.fileSize !== null && info.fileSize > maxBytes) {
        throw new MediaDownloadError('MEDIA_TOO_LARGE', `media ${source.mediaId} is ${info.fileSize} bytes; at most ${maxBytes} are accepted`);
      }
      let body: Buffer;
      try {
        body = await deps.graph.downloadMedia({ url: info.url, accessToken, maxBytes });
      } catch (error) {
        if (error instanceof GraphApiError) throw mediaUrlFailure(source.mediaId, error.parsed);
        throw error;
      }
      if (info.sha256 !== null && !sha256Matches(body, info.sha256)) {
        throw new MediaDownloadError(
          'MEDIA_CORRUPT',
          `media ${source.mediaId}: the ${body.length} bytes downloaded do not match the announced SHA-256`,
        );
      }
      if (info.fileSize !== null && info.fileSize !== body.length) {
        throw new MediaDownloadError('MEDIA_CORRUPT', `media ${source.mediaId}: ${body.length} bytes downloaded, ${info.fileSize} announced`);
      }
      return { body, mimeType: info.mimeType };
    },
  };
}
