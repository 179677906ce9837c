import { applyDeliveryStatus, createInboundMessageWriter, type InboundMessageWriter, type PrismaClient } from '@app/db';
import type { Logger } from '@app/runtime/service';
import type { MetaMediaDownloads } from '../media/meta-media-downloads.ts';
import { metaMediaSourceOf } from '../media/meta-media-source.ts';
import type { NormalizedInboundMessage, NormalizedItem, NormalizedWebhook } from '../normalize/normalized-webhook.ts';
import type { InstanceDirectory, RoutedInstance } from './instance-directory.ts';

export interface IngestDependencies {
  prisma: PrismaClient;
  instances: InstanceDirectory;
  logger: Logger;
  /** Rate limit for repeated WARNING system events about the same thing (default 60 s). */
  warningIntervalMs?: number;
  /** Media are downloaded into the object store through this; without it they are stored as metadata only. */
  media?: MetaMediaDownloads;
  /** Stores customer messages; defaults to a group-committing writer over `prisma`. */
  inbound?: InboundMessageWriter;
}

export interface IngestSummary {
  messagesStored: number;
  duplicates: number;
  statusesApplied: number;
  statusesIgnored: number;
  unknownPhoneNumberIds: string[];
  problems: number;
}

export type MetaWebhookIngestor = (webhook: NormalizedWebhook) => Promise<IngestSummary>;

/**
 * Persists a normalized webhook before it is acknowledged: messages exactly once (the repository de-duplicates on
 * instance + wamid), statuses monotonically. Unknown phone number ids and malformed items are recorded as WARNING
 * system events (rate-limited, so a misconfigured number cannot flood the table) and otherwise skipped.
 */
export function createMetaWebhookIngestor(deps: IngestDependencies): MetaWebhookIngestor {
  const warningIntervalMs = deps.warningIntervalMs ?? 60_000;
  const lastWarning = new Map<string, number>();
  // Webhooks arriving together are stored by one statement, each still answered only once its message is durable.
  const inbound = deps.inbound ?? createInboundMessageWriter(deps.prisma);

  async function warn(key: string, event: string, message: string, metadata: Record<string, unknown>, businessId: string | null = null) {
    deps.logger.warn({ event, ...metadata }, message);
    const last = lastWarning.get(key);
    if (last !== undefined && Date.now() - last < warningIntervalMs) return;
    lastWarning.set(key, Date.now());
    await deps.prisma.systemEvent.create({
      data: { businessId, severity: 'WARNING', source: 'meta-webhooks', event, message, metadata: metadata as object },
    });
  }

  /** A webhook's messages for one number, stored together (all or none, in order), so a burst is never cut. */
  async function ingestMessages(messages: NormalizedInboundMessage[], instance: RoutedInstance, summary: IngestSummary) {
    const media = deps.media;
    const sources = messages.map((item) => (media ? metaMediaSourceOf(item) : null));
    const results = await inbound.recordAll(
      messages.map((item, index) => {
        const source = sources[index];
        return {
          ...toInboundInput(item, instance),
          // The pending download is stored in the same statement as the message; a redelivery adds none.
          ...(media && source ? { mediaDownload: (messageId: string) => media.pendingDownload({ messageId, source }) } : {}),
        };
      }),
    );
    results.forEach((result, index) => {
      if (result.duplicate) summary.duplicates += 1;
      else {
        summary.messagesStored += 1;
        // Runs in the background: the webhook is answered without waiting for Meta's CDN.
        if (sources[index]) media?.kick(result.messageId);
      }
    });
  }

  async function ingestItem(item: Exclude<NormalizedItem, NormalizedInboundMessage>, instance: RoutedInstance, summary: IngestSummary) {
    if (item.type === 'status') {
      const outcome = await applyDeliveryStatus(deps.prisma, {
        instanceId: instance.id,
        providerMessageId: item.providerMessageId,
        status: item.status,
        at: new Date(item.at),
        errors: item.errors,
      });
      if (outcome.applied) summary.statusesApplied += 1;
      else summary.statusesIgnored += 1;
    } else {
      await warn(
        `errors:${item.phoneNumberId}:${item.errors.map((error) => error.code).join(',')}`,
        'meta_webhook.error',
        `Meta reported errors for phone number ${item.phoneNumberId}: ${item.errors.map((error) => error.code).join(', ')}`,
        { phoneNumberId: item.phoneNumberId, instanceId: instance.id, errors: item.errors },
        instance.businessId,
      );
    }
  }

  return async (webhook) => {
    const summary: IngestSummary = {
      messagesStored: 0,
      duplicates: 0,
      statusesApplied: 0,
      statusesIgnored: 0,
      unknownPhoneNumberIds: [],
      problems: 0,
    };
    for (const problem of webhook.problems) {
      summary.problems += 1;
      await warn(`problem:${problem.reason}`, 'meta_webhook.malformed_item', `A webhook item was skipped: ${problem.reason}`, { ...problem });
    }
    // Items of one phone number stay in their order (a burst is stored in the order Meta sent it).
    for (const [phoneNumberId, items] of groupByPhoneNumberId(webhook.items)) {
      const instance = await deps.instances.findByPhoneNumberId(phoneNumberId);
      if (!instance) {
        summary.unknownPhoneNumberIds.push(phoneNumberId);
        await warn(
          `unknown:${phoneNumberId}`,
          'meta_webhook.unknown_phone_number',
          `A Cloud API webhook names phone_number_id ${phoneNumberId}, which no Cloud API instance uses; acknowledged and dropped.`,
          { phoneNumberId, items: items.length, wabaId: items[0]?.wabaId ?? null },
        );
        continue;
      }
      await ingestMessages(items.filter(isMessage), instance, summary);
      for (const item of items) if (!isMessage(item)) await ingestItem(item, instance, summary);
    }
    return summary;
  };
}

function isMessage(item: NormalizedItem): item is NormalizedInboundMessage {
  return item.type === 'message';
}

function groupByPhoneNumberId(items: NormalizedItem[]): Map<string, NormalizedItem[]> {
  const groups = new Map<string, NormalizedItem[]>();
  for (const item of items) {
    const group = groups.get(item.phoneNumberId);
    if (group) group.push(item);
    else groups.set(item.phoneNumberId, [item]);
  }
  return groups;
}

function toInboundInput(item: NormalizedInboundMessage, instance: RoutedInstance) {
  return {
    businessId: instance.businessId,
    instanceId: instance.id,
    sender: { phone: item.sender.phone ?? null, waUserId: item.sender.userId ?? null, name: item.sender.profileName ?? null },
    providerMessageId: item.providerMessageId,
    sentAt: new Date(item.sentAt),
    content: item.content,
    ...(item.referral ? { extra: { referral: item.referral } } : {}),
  };
}
