import { randomUUID } from 'node:crypto';
import { AppUnavailableError, type AppChannel } from './app-channel.ts';
import type { RetryPolicy } from './sidecar-actors.ts';

export interface AppSubscription {
  pubsubname: string;
  topic: string;
  route?: string;
  routes?: { default?: string; rules?: { match: string; path: string }[] };
  metadata?: Record<string, string>;
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
  outcome: 'SUCCESS' | 'RETRY' | 'DROP' | 'ERROR' | 'DROPPED_AFTER_RETRIES';
}

/** Dapr pub/sub as seen by one app: CloudEvent envelopes, SUCCESS/RETRY/DROP, 404 = drop, other errors retried. */
export class SidecarPubSub {
  subscriptions: AppSubscription[] = [];
  readonly published: PublishedMessage[] = [];
  readonly deliveries: MessageDelivery[] = [];
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly appId: string,
    private readonly channel: AppChannel,
    private readonly retry: RetryPolicy,
  ) {}

  /** Wraps a publish the way daprd does and schedules its delivery to the app's subscribed route. */
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
    this.schedule(() => this.deliver(pubsubName, topic, cloudEvent, 1), 0);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.pending) clearTimeout(handle);
  }

  private schedule(work: () => Promise<void>, delayMs: number): void {
    if (this.stopped) return;
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      void work();
    }, delayMs);
    this.pending.add(handle);
  }

  private async deliver(pubsubName: string, topic: string, cloudEvent: Record<string, unknown>, attempt: number): Promise<void> {
    const subscription = this.subscriptions.find((entry) => entry.pubsubname === pubsubName && entry.topic === topic);
    const route = subscription?.route ?? subscription?.routes?.default;
    if (!subscription || !route) return;
    const cloudEventId = String(cloudEvent.id);
    const raw = subscription.metadata?.rawPayload === 'true';
    let outcome: MessageDelivery['outcome'];
    try {
      const response = await this.channel.call('POST', route.startsWith('/') ? route : `/${route}`, {
        text: JSON.stringify(raw ? cloudEvent.data : cloudEvent),
        contentType: raw ? 'application/octet-stream' : 'application/cloudevents+json',
      });
      if (response.status === 404) outcome = 'DROP';
      else if (response.status < 200 || response.status > 299) outcome = 'ERROR';
      else outcome = statusOf(response.text);
    } catch (error) {
      if (error instanceof AppUnavailableError && !this.channel.connected) {
        // No app behind this sidecar: the broker keeps the message until one subscribes again.
        this.schedule(() => this.deliver(pubsubName, topic, cloudEvent, attempt), this.retry.intervalMs);
        return;
      }
      outcome = 'ERROR';
    }
    this.deliveries.push({ topic, cloudEventId, attempt, outcome });
    if (outcome !== 'RETRY' && outcome !== 'ERROR') return;
    if (attempt > this.retry.maxRetries) {
      this.deliveries.push({ topic, cloudEventId, attempt, outcome: 'DROPPED_AFTER_RETRIES' });
      return;
    }
    this.schedule(() => this.deliver(pubsubName, topic, cloudEvent, attempt + 1), this.retry.intervalMs);
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
