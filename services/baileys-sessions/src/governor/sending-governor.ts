import type { Clock } from '@app/runtime/ports';

export interface GovernorConfig {
  /** Messages per instance in any 60-second window. */
  maxPerMinute: number;
  /** Minimum time between two messages to the same person … */
  minGapPerRecipientMs: number;
  /** … plus a random extra of up to this much, so replies do not arrive with machine regularity. */
  jitterMs: number;
  /** "typing…" is shown for this long per character of the reply … */
  typingMsPerCharacter: number;
  /** … but at least and at most this long. */
  minTypingMs: number;
  maxTypingMs: number;
  /** First messages to people who never wrote to this number, per UTC day (cold outreach gets numbers banned). */
  newContactsPerDay: number;
}

/** Conservative defaults (Baileys #1248: ~3 msg/s already drew 429s; bans follow bursts and cold outreach). */
export const defaultGovernorConfig: GovernorConfig = {
  maxPerMinute: 20,
  minGapPerRecipientMs: 3_000,
  jitterMs: 2_000,
  typingMsPerCharacter: 35,
  minTypingMs: 800,
  maxTypingMs: 8_000,
  newContactsPerDay: 20,
};

export interface SendRequest {
  /** The recipient's JID (or any stable key for the person). */
  recipient: string;
  /** Characters of the text (0 for media without caption). */
  textLength: number;
  /** True when the person never wrote to this number: counts against `newContactsPerDay`. */
  firstContact: boolean;
}

export type SendPlan =
  /** Wait `waitMs`, show "typing…" for `typingMs`, then send (at `sendAt`). */
  { allowed: true; waitMs: number; typingMs: number; sendAt: Date } | { allowed: false; reason: 'new-contact-cap'; retryAfterMs: number };

const minuteMs = 60_000;
const dayMs = 86_400_000;

/**
 * Paces one instance's outgoing messages: a rate limit, a minimum gap per recipient with jitter, a typing
 * indicator proportional to the reply, and a daily cap on first messages to new contacts. `plan` reserves the
 * slot it hands out, so concurrent sends are spaced too. State lives in memory: one host owns a session (lease); it
 * forgets what no longer matters on every plan, so it stays small however many people a number writes to.
 */
export class SendingGovernor {
  private readonly sendTimes: number[] = [];
  private readonly lastSendTo = new Map<string, number>();
  private newContactDay = -1;
  private readonly newContactsToday = new Set<string>();

  constructor(
    private config: GovernorConfig,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  /** New settings (the instance's were edited); what was sent and reserved so far still counts. */
  reconfigure(config: GovernorConfig): void {
    this.config = config;
  }

  /**
   * What the governor remembers. Bounded: send times of the last minute (plus reservations not due yet), recipients
   * within their minimum gap, and at most `newContactsPerDay` new contacts of the current day.
   */
  get memory(): { sendTimes: number; recipients: number; newContacts: number } {
    return { sendTimes: this.sendTimes.length, recipients: this.lastSendTo.size, newContacts: this.newContactsToday.size };
  }

  plan(request: SendRequest): SendPlan {
    const now = this.clock.now().getTime();
    if (request.firstContact) {
      const day = Math.floor(now / dayMs);
      if (day !== this.newContactDay) {
        this.newContactDay = day;
        this.newContactsToday.clear();
      }
      if (!this.newContactsToday.has(request.recipient)) {
        if (this.newContactsToday.size >= this.config.newContactsPerDay) {
          return { allowed: false, reason: 'new-contact-cap', retryAfterMs: (day + 1) * dayMs - now };
        }
        this.newContactsToday.add(request.recipient);
      }
    }

    const typingMs = Math.round(
      Math.min(this.config.maxTypingMs, Math.max(this.config.minTypingMs, request.textLength * this.config.typingMsPerCharacter)),
    );
    let sendAt = now + typingMs;
    const last = this.lastSendTo.get(request.recipient);
    if (last !== undefined) sendAt = Math.max(sendAt, last + this.config.minGapPerRecipientMs + Math.floor(this.random() * this.config.jitterMs));
    sendAt = this.firstFreeSlot(sendAt);

    this.sendTimes.push(sendAt);
    this.sendTimes.sort((a, b) => a - b);
    this.lastSendTo.set(request.recipient, sendAt);
    this.forgetOld(now);
    return { allowed: true, waitMs: sendAt - typingMs - now, typingMs, sendAt: new Date(sendAt) };
  }

  /** The earliest time ≥ `candidate` at which a send keeps every 60-second window within `maxPerMinute`. */
  private firstFreeSlot(candidate: number): number {
    const max = Math.max(1, this.config.maxPerMinute);
    let time = candidate;
    for (let guard = 0; guard < 100_000; guard++) {
      const near = this.sendTimes.filter((sent) => sent > time - minuteMs && sent < time + minuteMs);
      // Windows (a, a + 60 s] holding `time` are fullest where one starts at time - 60 s or just admits a later send.
      const starts = [time - minuteMs, ...near.filter((sent) => sent > time).map((sent) => sent - minuteMs)];
      const full = starts.some((start) => near.filter((sent) => sent > start && sent <= start + minuteMs).length >= max);
      if (!full) return time;
      time = near[0]! + minuteMs;
    }
    return time;
  }

  private forgetOld(now: number): void {
    while (this.sendTimes.length > 0 && this.sendTimes[0]! <= now - minuteMs) this.sendTimes.shift();
    for (const [recipient, at] of this.lastSendTo) {
      if (at + this.config.minGapPerRecipientMs + this.config.jitterMs < now) this.lastSendTo.delete(recipient);
    }
  }
}
