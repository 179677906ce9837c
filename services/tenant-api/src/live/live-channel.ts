import type { DeliveredLiveEvent, LiveEvent, LiveStreamEntry } from './live-event.ts';

/** Receives the events and gap markers (see LiveGap) published after the subscription is active. */
export type LiveListener = (entry: LiveStreamEntry) => void;

/**
 * Where the client's stream resumes. `replay`: the events after the client's id (possibly none); `resync`: the
 * client's id is older than what the buffer keeps (or from a previous server run), so it must refetch; `fresh`: no
 * id was given. `lastId` is the newest id in the business's stream (the client's position afterwards).
 */
export type ReplayResult =
  | { kind: 'replay'; events: DeliveredLiveEvent[]; lastId: string }
  /** Also when a gap marker (events skipped while nobody watched) lies after the client's id. */
  | { kind: 'resync'; lastId: string }
  | { kind: 'fresh'; lastId: string };

/**
 * The fan-out port: one channel per business. publish() appends to the business's short replay buffer and reaches
 * every subscriber of every replica sharing the channel. Adapters: in-process (EventEmitter) and Redis.
 */
export interface LiveChannel {
  /**
   * Appends and fans out. With `dedupeKey`, a second publish with the same key (a redelivered outbox event) is
   * ignored and returns null; the check and the append are atomic.
   */
  publish(businessId: string, event: LiveEvent, options?: { dedupeKey?: string }): Promise<DeliveredLiveEvent | null>;
  /**
   * Whether a console watches the business (a subscriber anywhere now, or within the watch linger). `false`: the
   * caller skips the event (no views loaded, nothing published) and the channel has recorded a gap marker — one
   * per run of skipped events, atomically with the check — so a client resuming from an earlier id gets `resync`.
   */
  watchedOrMarkGap(businessId: string): Promise<boolean>;
  /** Events published after the subscription is active reach the listener in id order. */
  subscribe(businessId: string, listener: LiveListener): () => void;
  /** Resolves once subscriptions made so far receive events (the Redis adapter subscribes asynchronously). */
  ready(): Promise<void>;
  /** What a client that last saw `afterId` missed (see ReplayResult). */
  replay(businessId: string, afterId: string | null): Promise<ReplayResult>;
  /** Called when the channel may have missed fan-out messages (Redis subscriber reconnected): streams should end so clients resume. */
  onInterrupted(listener: () => void): void;
  close(): Promise<void>;
}

/** How much each business's replay buffer keeps: the newest `maxEvents`, none older than `maxAgeMs`. */
export interface ReplayBufferLimits {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * How long a business counts as watched after its last stream ended: a console that reconnects within this time
 * (restart, network blip, new ticket) resumes from the buffer without a resync. Redis: the watcher key's TTL,
 * refreshed by every replica holding a stream every third of it.
 */
export const defaultWatchLingerMs = 60_000;

export const defaultReplayBufferLimits: ReplayBufferLimits = { maxEvents: 500, maxAgeMs: 5 * 60_000 };

/** How long a publish's dedupe key is remembered: longer than any redelivery of the outbox (lease 60 s, backoff). */
export const dedupeTtlMs = 60 * 60_000;
