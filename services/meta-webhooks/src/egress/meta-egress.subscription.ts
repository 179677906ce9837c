import {
  claimOutboundMessage,
  markOutboundFailed,
  markOutboundSent,
  releaseOutboundMessage,
  type ClaimedOutboundMessage,
  type PrismaClient,
  type SecretBox,
} from '@app/db';
import { isObjectStoreKey } from '@app/domain';
import { systemClock, type Clock, type DeliveryOutcome, type ObjectStore, type Subscription } from '@app/runtime/ports';
import { providerEgressSubscription, type SendRequest } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import { GraphApiError, type GraphApiClient } from './graph-api-client.ts';
import { toGraphMessage } from './outbound-content.ts';
import { createStoredMediaUploads, StoredMediaMissingError, type StoredMediaUploads } from './stored-media-uploads.ts';

export interface MetaInstanceCredentials {
  id: string;
  encryptedCredentials: string | null;
}

export interface MetaEgressDependencies {
  prisma: PrismaClient;
  graph: GraphApiClient;
  /** The instance's Cloud API access token, decrypted (see `accessTokenFromSecretBox`). */
  readAccessToken(instance: MetaInstanceCredentials): string;
  logger: Logger;
  /** Claims per message before a retryable error becomes a failure (default 5). */
  maxAttempts?: number;
  /**
   * Where library files and stored media are (an outbound media id that is an object key): uploaded to the phone
   * number's media before the send. Absent: such a message fails with META_MEDIA_UNAVAILABLE.
   */
  objectStore?: ObjectStore;
  clock?: Clock;
}

export const metaEgressGroup = 'meta-egress';

/**
 * Reads `Instance.encryptedCredentials` written with the db package's SecretBox: the plaintext is JSON
 * `{ "accessToken": "…" }` (or the bare token), encrypted with the instance id as associated data.
 */
export function accessTokenFromSecretBox(secretBox: SecretBox) {
  return (instance: MetaInstanceCredentials): string => {
    if (!instance.encryptedCredentials) throw new Error('The instance has no stored credentials.');
    const plaintext = secretBox.decrypt(instance.encryptedCredentials, instance.id);
    if (plaintext.trimStart().startsWith('{')) {
      const token = (JSON.parse(plaintext) as { accessToken?: unknown }).accessToken;
      if (typeof token !== 'string' || token === '') throw new Error('The stored credentials have no accessToken.');
      return token;
    }
    return plaintext;
  };
}

/**
 * `messages.outbound` → Graph API, for Cloud API instances. Claim (PENDING → SENDING) → decrypt the token → send →
 * SENT (deleting the answered buffer) or FAILED. A retryable error releases the message and asks the transport
 * to redeliver, bounded by `maxAttempts`. A send whose outcome is unknown is never repeated (at most once).
 */
export function createMetaEgressHandler(deps: MetaEgressDependencies): Subscription {
  const maxAttempts = deps.maxAttempts ?? 5;
  const uploads: StoredMediaUploads | null = deps.objectStore
    ? createStoredMediaUploads({ prisma: deps.prisma, objectStore: deps.objectStore, graph: deps.graph, clock: deps.clock ?? systemClock })
    : null;

  async function send(event: SendRequest): Promise<DeliveryOutcome> {
    const { messageId, bufferId } = event.data;
    const claimed = await claimOutboundMessage(deps.prisma, messageId);
    // Someone else holds it, or it is already sent, failed or cancelled: a redelivery changes nothing.
    if (!claimed) return 'success';
    const log = deps.logger.child({ businessId: claimed.businessId, instanceId: claimed.instanceId, messageId });

    const instance = await deps.prisma.instance.findUnique({
      where: { id: claimed.instanceId },
      select: { id: true, provider: true, phoneNumberId: true, encryptedCredentials: true },
    });
    if (!instance || instance.provider !== 'META' || !instance.phoneNumberId) {
      return fail(claimed, 'META_NOT_CONFIGURED', 'The instance has no Cloud API phone number id.', log);
    }
    let accessToken: string;
    try {
      accessToken = deps.readAccessToken(instance);
    } catch (error) {
      return fail(claimed, 'META_CREDENTIALS_UNREADABLE', (error as Error).message, log);
    }
    let content = claimed.content;
    const media = content['media'] as { mediaId?: string; url?: string; mimeType?: string; filename?: string } | undefined;
    if (media && !media.url && isObjectStoreKey(media.mediaId)) {
      // A file the platform stores (library file, stored download): Meta needs its own media id — upload, then send by it.
      if (!uploads) return fail(claimed, 'META_MEDIA_UNAVAILABLE', 'No object store is configured to upload this file from.', log);
      try {
        const mediaId = await uploads.mediaIdFor({
          instanceId: instance.id,
          phoneNumberId: instance.phoneNumberId,
          accessToken,
          objectKey: media.mediaId!,
          mimeType: media.mimeType ?? null,
          filename: media.filename ?? null,
        });
        content = { ...content, media: { ...media, mediaId } };
      } catch (error) {
        if (error instanceof StoredMediaMissingError) return fail(claimed, 'META_MEDIA_MISSING', error.message, log);
        if (!(error instanceof GraphApiError)) throw error;
        return handleGraphError(claimed, error, instance.id, log);
      }
    }
    const graphMessage = toGraphMessage({ ...claimed, content });
    const to = claimed.contact.phone;
    const recipient = to ? null : claimed.contact.waUserId;
    if (!graphMessage) return fail(claimed, 'META_UNSUPPORTED_CONTENT', `Cannot send a ${claimed.kind} message through the Cloud API.`, log);
    if (!to && !recipient) return fail(claimed, 'META_NO_RECIPIENT', 'The contact has neither a phone number nor a BSUID.', log);

    try {
      const result = await deps.graph.sendMessage({
        phoneNumberId: instance.phoneNumberId,
        accessToken,
        to,
        recipient,
        ...graphMessage,
      });
      await markOutboundSent(deps.prisma, { messageId, providerMessageId: result.providerMessageId, bufferId });
      log.info({ event: 'meta_egress.sent', providerMessageId: result.providerMessageId }, 'message sent');
      return 'success';
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      return handleGraphError(claimed, error, instance.id, log);
    }
  }

  async function handleGraphError(claimed: ClaimedOutboundMessage, error: GraphApiError, instanceId: string, log: Logger): Promise<DeliveryOutcome> {
    const { parsed } = error;
    const errorCode = parsed.metaCode === null ? parsed.code : String(parsed.metaCode);
    const retryable = parsed.retry !== 'none' && !(parsed.code === 'META_UNREACHABLE' && error.requestMayHaveArrived);
    if (retryable && claimed.sendAttempts < maxAttempts) {
      await releaseOutboundMessage(deps.prisma, { messageId: claimed.id, code: errorCode, message: parsed.message });
      log.warn({ event: 'meta_egress.retry', code: parsed.code, metaCode: parsed.metaCode, attempt: claimed.sendAttempts }, 'send will be retried');
      return 'retry';
    }
    if (parsed.flagInstance) await flagInstance(instanceId, claimed.businessId, parsed.code, parsed.message);
    const message = parsed.code === 'META_UNREACHABLE' ? `${parsed.message} (outcome unknown; not resent)` : parsed.message;
    return fail(claimed, errorCode, message, log, parsed.code);
  }

  async function fail(claimed: ClaimedOutboundMessage, code: string, message: string, log: Logger, domainCode?: string): Promise<DeliveryOutcome> {
    await markOutboundFailed(deps.prisma, { messageId: claimed.id, code, message });
    log.warn({ event: 'meta_egress.failed', code, domainCode: domainCode ?? code }, 'send failed');
    return 'success';
  }

  async function flagInstance(instanceId: string, businessId: string, code: string, message: string) {
    await deps.prisma.$transaction([
      deps.prisma.instance.update({ where: { id: instanceId }, data: { status: 'auth_failed' } }),
      deps.prisma.systemEvent.create({
        data: {
          businessId,
          severity: 'ERROR',
          source: 'meta-webhooks',
          event: 'meta_egress.instance_flagged',
          message: `The Cloud API refused this instance's credentials (${code}); a new access token is needed.`,
          metadata: { instanceId, code, graphMessage: message },
        },
      }),
    ]);
  }

  return providerEgressSubscription({ provider: 'META', group: metaEgressGroup, prisma: deps.prisma, send });
}
