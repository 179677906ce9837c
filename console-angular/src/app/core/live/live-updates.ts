import { Injectable, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { toApiProblem } from '../api/api-error';
import { liveEventTypes, parseLiveEvent, type LiveEvent } from './live-event';

export type LiveMode = 'off' | 'connecting' | 'live' | 'polling';

/** How often the fallback asks for everything again when the server has no live stream. */
export const pollIntervalMs = 4_000;
const maxBackoffMs = 15_000;

/**
 * Live updates from tenant-api: an EventSource on GET /api/live with a fresh single-use ticket for every
 * (re)connection, because EventSource cannot send an Authorization header. A reconnect passes the last event id,
 * so the server replays what was missed or sends `resync` (listeners then refetch); listeners upsert by id, so a
 * replayed event shows once. Without a live stream (404/503 on the ticket) it polls: a `resync` every few seconds.
 */
@Injectable({ providedIn: 'root' })
export class LiveUpdates {
  private readonly api = inject(ApiClient);
  private readonly subject = new Subject<LiveEvent>();
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private running = false;
  /** The id of the last event received: a reconnect resumes after it (the server replays, or says `resync`). */
  private lastEventId: string | null = null;

  readonly mode = signal<LiveMode>('off');
  readonly events = this.subject.asObservable();

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.source?.close();
    this.source = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.mode.set('off');
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.mode.set('connecting');
    let ticket: string;
    try {
      ticket = (await this.api.createLiveTicket()).ticket;
    } catch (error) {
      const problem = toApiProblem(error);
      // No live stream in this deployment (404 from an older API, 503 when it is switched off): poll instead.
      if (problem.status === 404 || problem.status === 405 || problem.status === 503) return this.poll();
      return this.retryLater();
    }
    if (!this.running) return;
    const resume = this.lastEventId ? `&lastEventId=${encodeURIComponent(this.lastEventId)}` : '';
    const source = new EventSource(`/api/live?ticket=${encodeURIComponent(ticket)}${resume}`);
    this.source = source;
    source.onopen = () => {
      this.attempts = 0;
      this.mode.set('live');
    };
    for (const type of [...liveEventTypes, 'ready']) {
      source.addEventListener(type, (message) => {
        const { data, lastEventId } = message as MessageEvent<string>;
        if (lastEventId) this.lastEventId = lastEventId;
        const event = parseLiveEvent(type, data);
        if (event) this.subject.next(event);
      });
    }
    source.onerror = () => {
      // The ticket is single use, so the browser's own retry would be refused: reconnect with a new one.
      source.close();
      if (this.source === source) this.source = null;
      this.retryLater();
    };
  }

  private retryLater(): void {
    if (!this.running) return;
    this.mode.set('connecting');
    this.attempts += 1;
    const delay = Math.min(maxBackoffMs, 500 * 2 ** Math.min(this.attempts, 5));
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private poll(): void {
    if (!this.running) return;
    this.mode.set('polling');
    this.timer = setTimeout(() => {
      this.subject.next({ type: 'resync' });
      this.poll();
    }, pollIntervalMs);
  }
}
