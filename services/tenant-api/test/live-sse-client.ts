import { expectEventually } from '@app/testkit';

/** One server-sent event as a browser's EventSource would dispatch it. */
export interface SseFrame {
  event: string;
  id: string | null;
  data: string;
  /** When the frame was parsed (Date.now()). */
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  contentType: string | null;
  /** The JSON body of a non-200 answer. */
  errorBody: unknown;
  frames: SseFrame[];
  comments: string[];
  retry: number | null;
  /** Resolves when the server ends the stream (or close() was called). */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/**
 * A small SSE client over fetch, parsing the stream as the WHATWG EventSource algorithm does (fields, blank line
 * dispatch, `id` kept across events, comments). Tests read the frames it collects.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  let ended = false;
  const connection: SseConnection = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    errorBody: null,
    frames,
    comments,
    retry: null,
    ended: Promise.resolve(),
    isEnded: () => ended,
    close: () => abort.abort(),
  };
  if (response.status !== 200 || !response.body) {
    connection.errorBody = await response.json().catch(() => null);
    ended = true;
    return connection;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  connection.ended = (async () => {
    let pending = '';
    let event = { type: '', data: [] as string[], id: null as string | null };
    let lastId: string | null = null;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += value;
        const lines = pending.split(/\r\n|\r|\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '') {
            if (event.data.length > 0 || event.type) {
              frames.push({ event: event.type || 'message', id: lastId, data: event.data.join('\n'), receivedAt: Date.now() });
            }
            event = { type: '', data: [], id: null };
            continue;
          }
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const fieldValue = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.type = fieldValue;
          else if (field === 'data') event.data.push(fieldValue);
          else if (field === 'id') lastId = fieldValue;
          else if (field === 'retry') connection.retry = Number(fieldValue);
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream is over.
    } finally {
      ended = true;
    }
  })();
  return connection;
}

export const dataOf = <T = Record<string, unknown>>(frame: { data: string }): T => JSON.parse(frame.data) as T;

/** Frames of one event type. */
export const framesOf = (connection: { frames: SseFrame[] }, event: string) => connection.frames.filter((frame) => frame.event === event);

export async function waitForFrame(
  connection: { frames: SseFrame[] },
  predicate: (frame: SseFrame) => boolean,
  timeoutMs = 15_000,
): Promise<SseFrame> {
  let found: SseFrame | undefined;
  await expectEventually(
    () => {
      found = connection.frames.find(predicate);
      if (!found) throw new Error(`no matching frame among: ${connection.frames.map((frame) => frame.event).join(', ')}`);
    },
    { timeoutMs, intervalMs: 10 },
  );
  return found!;
}

/**
 * What the console does: get a ticket, open the stream, and when it ends get a new ticket and reopen with the
 * last id seen (a new EventSource cannot set Last-Event-ID, so it goes in the query). Collects every frame.
 */
export function startReconnectingClient(options: { baseUrl: () => string; ticket: () => Promise<string>; retryMs?: number }) {
  const frames: SseFrame[] = [];
  const connections: SseConnection[] = [];
  let lastEventId: string | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const ticket = await options.ticket();
        const query = new URLSearchParams({ ticket });
        if (lastEventId) query.set('lastEventId', lastEventId);
        const connection = await openSse(`${options.baseUrl()}/api/live?${query}`);
        connections.push(connection);
        if (connection.status === 200) {
          const seen = new Set<SseFrame>();
          const collect = () => {
            for (const frame of connection.frames) {
              if (seen.has(frame)) continue;
              seen.add(frame);
              frames.push(frame);
              if (frame.id) lastEventId = frame.id;
            }
          };
          const timer = setInterval(collect, 5);
          await connection.ended;
          clearInterval(timer);
          collect();
        }
      } catch {
        // The server is down: try again shortly, as EventSource does.
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 100));
    }
  })();
  return {
    frames,
    connections,
    lastEventId: () => lastEventId,
    async stop() {
      stopped = true;
      for (const connection of connections) connection.close();
      await loop;
    },
  };
}
