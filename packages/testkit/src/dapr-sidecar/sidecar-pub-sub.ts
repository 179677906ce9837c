import { randomUUID } from 'node:crypto';
import { AppUnavailableError, type AppChannel } from './app-channel.ts';
import type { RetryPolicy } from './sidecar-actors.ts';

export interface AppSubscription {
  pubsubname: string;
  topic: string;
  route?: string;
  routes?: { default?: string; rules?: { match: string; path: string }[] };
  metadata?: Record<string, string>;
  deadLetterTopic?: string;
}

export interface PublishedMessage {
  pubsubName: string;
  topic: string;
  cloudEvent: Record<string, unknown>;
  metadata: Record<string, string>;
}

export interface MessageDelivery {
  topic: string;
  cloudEventId: string;
  attempt: number;
  /**
   * What the app answered, or what the component did after the retries: DEAD_LETTERED (sent to the
   * subscription's deadLetterTopic), ACKED_UNDELIVERED (1.17: acknowledged although never handled — lost),
   * LEFT_PENDING (1.16: reclaimed after processingTimeout).
   */
  outcome: 'SUCCESS' | 'RETRY' | 'DROP' | 'ERROR' | 'DEAD_LETTERED' | 'ACKED_UNDELIVERED' | 'LEFT_PENDING';
}

/**
 * Redis Streams as daprd ≥ 1.15 drives it (components-contrib pubsub/redis, docs/adr/0015-dapr-as-it-really-behaves.md):
 * - '1.17': a message the app answered RETRY to, errored on or could not be reached for is retried by the
 *   Resiliency inbound policy only, then dead-lettered when the subscription names a deadLetterTopic, else
 *   acknowledged and lost (components-contrib PR #4208);
 * - '1.16': it stays pending and is delivered again once older than processingTimeout.
 */
export interface StreamSettings {
  semantics: '1.16' | '1.17';
  /** Delivery workers of the sidecar, shared by every topic (component `concurrency`, default 10). */
  concurrency: number;
  /** A delivery pending this long is reclaimed and delivered again, even while the first still runs (60 s). */
  processingTimeoutMs: number;
  /** How often pending deliveries are checked for reclaim (component `redeliverInterval`, 15 s). */
  redeliverIntervalMs: number;
  /** The Resiliency inbound retry policy of the component; none by default, as without a Resiliency resource. */
  inboundRetry: RetryPolicy | undefined;
}

interface StreamEntry {
  pubsubName: string;
  topic: string;
  cloudEvent: Record<string, unknown>;
  /** Delivered and not yet acknowledged since (the consumer group's pending list). */
  pendingSince: number | null;
  deliveries: number;
  acked: boolean;
}

/** Dapr pub/sub as seen by one app id: CloudEvent envelopes, SUCCESS/RETRY/DROP, 404 = drop, a consumer group. */
export class SidecarPubSub {
  subscriptions: AppSubscription[] = [];
  readonly published: PublishedMessage[] = [];
  readonly deliveries: MessageDelivery[] = [];
  private readonly stream: StreamEntry[] = [];
  private busyWorkers = 0;
  private reclaimTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly appId: string,
    private readonly channel: AppChannel,
    readonly settings: StreamSettings,
  ) {
    this.reclaimTimer = setInterval(() => this.pump(), settings.redeliverIntervalMs);
    this.reclaimTimer.unref();
  }

  /** Wraps a publish the way daprd does and appends it to the topic's stream. */
  publish(pubsubName: string, topic: string, body: Buffer, contentType: string | undefined, metadata: Record<string, string>): void {
    const type = (contentType ?? 'text/plain').split(';')[0]!.trim();
    let cloudEvent: Record<string, unknown>;
    if (type === 'application/cloudevents+json') {
      cloudEvent = { ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>), topic, pubsubname: pubsubName };
    } else {
      const text = body.toString('utf8');
      const data = type === 'application/json' || type.endsWith('+json') ? JSON.parse(text) : text;
      const traceId = `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`;
      cloudEvent = {
        id: randomUUID(),
        source: this.appId,
        type: 'com.dapr.event.sent',
        specversion: '1.0',
        datacontenttype: type,
        data,
        topic,
        pubsubname: pubsubName,
        traceid: traceId,
        traceparent: traceId,
        tracestate: '',
        time: new Date().toISOString(),
      };
    }
    this.published.push({ pubsubName, topic, cloudEvent, metadata });
    this.stream.push({ pubsubName, topic, cloudEvent, pendingSince: null, deliveries: 0, acked: false });
    this.pump();
  }

  /**
   * Starts deliveries while workers are free: new entries of subscribed topics (the group reads the stream from
   * its start, so messages published before anyone subscribed are kept), then pending ones older than
   * processingTimeout. Nothing is delivered while no app is connected.
   */
  pump(): void {
    if (this.stopped || !this.channel.connected) return;
    const now = Date.now();
    for (const entry of this.stream) {
      if (this.busyWorkers >= this.settings.concurrency) return;
      if (entry.acked || !this.subscriptionOf(entry)) continue;
      const reclaim = entry.pendingSince !== null && now - entry.pendingSince >= this.settings.processingTimeoutMs;
      if (entry.pendingSince !== null && !reclaim) continue;
      entry.pendingSince = now;
      this.busyWorkers += 1;
      void this.deliver(entry).finally(() => {
        this.busyWorkers -= 1;
        this.pump();
      });
    }
  }

  /** A sidecar restart: deliveries in flight are abandoned (still pending in Redis, reclaimed later). */
  forgetSubscriptions(): void {
    this.subscriptions = [];
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.reclaimTimer);
  }

  private subscriptionOf(entry: StreamEntry): AppSubscription | undefined {
    const subscription = this.subscriptions.find((candidate) => candidate.pubsubname === entry.pubsubName && candidate.topic === entry.topic);
    return subscription && (subscription.route ?? subscription.routes?.default) ? subscription : undefined;
  }

  private async deliver(entry: StreamEntry): Promise<void> {
    const retry = this.settings.inboundRetry;
    for (let retries = 0; ; retries++) {
      const subscription = this.subscriptionOf(entry);
      if (!subscription || this.stopped) return;
      entry.deliveries += 1;
      const outcome = await this.attempt(entry, subscription);
      this.record(entry, outcome);
      if (outcome === 'SUCCESS' || outcome === 'DROP') {
        entry.acked = true;
        return;
      }
      if (!retry || retries >= retry.maxRetries) break;
      await new Promise((resolve) => setTimeout(resolve, retry.intervalMs));
    }
    const deadLetterTopic = this.subscriptionOf(entry)?.deadLetterTopic;
    if (deadLetterTopic) {
      entry.acked = true;
      this.record(entry, 'DEAD_LETTERED');
      this.publish(entry.pubsubName, deadLetterTopic, Buffer.from(JSON.stringify(entry.cloudEvent)), 'application/cloudevents+json', {});
      return;
    }
    if (this.settings.semantics === '1.17') {
      entry.acked = true;
      this.record(entry, 'ACKED_UNDELIVERED');
    } else {
      this.record(entry, 'LEFT_PENDING');
    }
  }

  private async attempt(entry: StreamEntry, subscription: AppSubscription): Promise<MessageDelivery['outcome']> {
    const route = (subscription.route ?? subscription.routes?.default)!;
    const raw = subscription.metadata?.rawPayload === 'true';
    try {
      const response = await this.channel.call('POST', route.startsWith('/') ? route : `/${route}`, {
        text: JSON.stringify(raw ? entry.cloudEvent.data : entry.cloudEvent),
        contentType: raw ? 'application/octet-stream' : 'application/cloudevents+json',
      });
      if (response.status === 404) return 'DROP';
      if (response.status < 200 || response.status > 299) return 'ERROR';
      return statusOf(response.text);
    } catch (error) {
      if (!(error instanceof AppUnavailableError)) throw error;
      return 'ERROR';
    }
  }

  private record(entry: StreamEntry, outcome: MessageDelivery['outcome']): void {
    this.deliveries.push({ topic: entry.topic, cloudEventId: String(entry.cloudEvent.id), attempt: entry.deliveries, outcome });
  }
}

function statusOf(text: string): 'SUCCESS' | 'RETRY' | 'DROP' {
  if (text.trim() === '') return 'SUCCESS';
  try {
    const status = String((JSON.parse(text) as { status?: unknown }).status ?? 'SUCCESS').toUpperCase();
    return status === 'RETRY' || status === 'DROP' ? status : 'SUCCESS';
  } catch {
    return 'SUCCESS';
  }
}
