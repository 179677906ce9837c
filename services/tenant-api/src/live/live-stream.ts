import type { Response } from 'express';
import { AppError, type Logger } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import type { LiveChannel } from './live-channel.ts';
import { compareLiveEventIds, type LiveStreamEntry } from './live-event.ts';

export interface LiveStreamSettings {
  /** The `retry:` the browser waits before reconnecting. */
  retryMs: number;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs: number;
  /** The stream ends after this long: the client comes back with a new ticket, so access is re-checked. */
  maxStreamMs: number;
  /** A client this far behind (bytes queued) is cut off; it resumes from its last id instead of growing our memory. */
  maxQueuedBytes: number;
  /** Open streams one business may hold on this process; one more is refused with 429 (a runaway script, not a team). */
  maxStreamsPerBusiness: number;
}

export const defaultLiveStreamSettings: LiveStreamSettings = {
  retryMs: 2000,
  heartbeatMs: 15_000,
  maxStreamMs: 60 * 60_000,
  maxQueuedBytes: 1 << 20,
  maxStreamsPerBusiness: 50,
};

/** Open streams of this process (each one's `end`, with its business): stop() and a Redis interruption end them all. */
export type LiveStreamRegistry = Map<() => void, string>;

/**
 * One SSE stream. The subscription starts BEFORE the replay is read: events published meanwhile are held and
 * written after the replay, skipping any the replay already contained (ids increase), so nothing falls between.
 */
export async function openLiveStream(
  deps: { channel: LiveChannel; logger: Logger; settings: LiveStreamSettings; streams: LiveStreamRegistry },
  response: Response,
  input: { tenant: TenantContext; lastEventId: string | null },
): Promise<void> {
  const { channel, settings } = deps;
  const { businessId } = input.tenant;
  const open = [...deps.streams.values()].filter((owner) => owner === businessId).length;
  if (open >= settings.maxStreamsPerBusiness) {
    deps.logger.warn({ event: 'live.too_many_streams', businessId, open }, 'live stream refused: too many open for one business');
    throw new AppError('RATE_LIMITED', `This business already has ${open} live streams open; close some consoles or try again later.`, {
      limit: settings.maxStreamsPerBusiness,
    });
  }
  response.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // nginx (ingress) would otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  response.write(`retry: ${settings.retryMs}\n\n`);

  let closed = false;
  let position: string | null = null;
  const held: LiveStreamEntry[] = [];

  const write = (chunk: string) => {
    if (closed) return;
    response.write(chunk);
    if (response.writableLength > settings.maxQueuedBytes) {
      deps.logger.warn({ event: 'live.slow_client', businessId }, 'live stream closed: the client is not reading');
      end();
    }
  };
  const send = (entry: LiveStreamEntry) => {
    if (position !== null && compareLiveEventIds(entry.id, position) <= 0) return;
    position = entry.id;
    // Events were skipped while the business looked unwatched (a race with the watcher key's expiry): refetch.
    if (entry.type === 'gap') write(`event: resync\nid: ${entry.id}\ndata: ${JSON.stringify({ lastEventId: entry.id })}\n\n`);
    else write(`event: ${entry.type}\nid: ${entry.id}\ndata: ${JSON.stringify(entry.data)}\n\n`);
  };

  const unsubscribe = channel.subscribe(businessId, (event) => (position === null ? held.push(event) : send(event)));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), settings.heartbeatMs);
  const lifetime = setTimeout(() => end(), settings.maxStreamMs);
  function end() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    deps.streams.delete(end);
    response.end();
  }
  deps.streams.set(end, businessId);
  response.on('close', end);

  try {
    await channel.ready();
    const resumed = await channel.replay(businessId, input.lastEventId);
    if (closed) return;
    if (resumed.kind === 'resync') {
      write(`event: resync\nid: ${resumed.lastId}\ndata: ${JSON.stringify({ lastEventId: resumed.lastId })}\n\n`);
    }
    const replayed = resumed.kind === 'replay' ? resumed.events : [];
    position = replayed.length > 0 ? '0-0' : resumed.lastId;
    for (const event of replayed) send(event);
    position = maxId(position, resumed.lastId);
    write(
      `event: ready\nid: ${position}\ndata: ${JSON.stringify({ lastEventId: position, replayed: replayed.length, resync: resumed.kind === 'resync' })}\n\n`,
    );
    for (const event of held.splice(0)) send(event);
  } catch (error) {
    deps.logger.error({ event: 'live.stream_failed', businessId, err: error }, 'live stream could not start');
    end();
  }
}

function maxId(left: string, right: string): string {
  return compareLiveEventIds(left, right) >= 0 ? left : right;
}
