import type { DomainEvent } from '@app/domain';

export interface PublishOptions {
  /** Events with the same key are delivered in order to each subscriber group. */
  key?: string;
}

/** Publishing is durable: once publish() resolves, the event will be delivered at least once. */
export interface EventPublisher {
  publish(topic: string, event: DomainEvent, options?: PublishOptions): Promise<void>;
}

/**
 * What a handler tells the transport: done, try again later, or give up on this event (malformed, or a
 * permanent failure already recorded elsewhere). A handler that throws is treated as 'retry'.
 */
export type DeliveryOutcome = 'success' | 'retry' | 'drop';

export type EventHandler = (event: DomainEvent) => Promise<DeliveryOutcome | void>;

export interface Subscription {
  topic: string;
  /** Subscriber group: every group receives every event once (at least once); replicas of a group share. */
  group: string;
  handler: EventHandler;
}

export interface EventSubscriber {
  subscribe(subscription: Subscription): void;
}

export interface PubSub extends EventPublisher, EventSubscriber {
  start(): Promise<void>;
  stop(): Promise<void>;
}
