import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '@app/runtime/ports';
import type { TenantContext } from '../http/tenant-context.ts';

export const liveTicketTtlSeconds = 60;

/**
 * Single-use tickets for GET /api/live: EventSource cannot send an Authorization header, and an access token in a
 * URL ends up in logs and history. A ticket is bound to the user and business, lives 60 s and works once.
 */
export interface LiveTickets {
  issue(tenant: TenantContext): Promise<{ ticket: string; expiresIn: number }>;
  /** The ticket's tenant, consuming it; null when it is unknown, expired or already used. */
  redeem(ticket: string): Promise<TenantContext | null>;
}

interface StoredTicket {
  tenant: TenantContext;
  expiresAt: number;
}

/** Only a hash is stored: a leaked store (a Redis dump) holds nothing that opens a stream. */
const ticketHash = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');

function newTicket(): string {
  return randomBytes(32).toString('base64url');
}

/** Expiry is checked against the injected clock too, so it does not depend on the store's own timer. */
function stillValid(stored: StoredTicket | null, clock: Clock): TenantContext | null {
  return stored && stored.expiresAt > clock.now().getTime() ? stored.tenant : null;
}

export function createInMemoryLiveTickets(options: { clock: Clock }): LiveTickets {
  const tickets = new Map<string, StoredTicket>();
  return {
    async issue(tenant) {
      const now = options.clock.now().getTime();
      for (const [hash, stored] of tickets) if (stored.expiresAt <= now) tickets.delete(hash);
      const ticket = newTicket();
      tickets.set(ticketHash(ticket), { tenant, expiresAt: now + liveTicketTtlSeconds * 1000 });
      return { ticket, expiresIn: liveTicketTtlSeconds };
    },
    async redeem(ticket) {
      const hash = ticketHash(ticket);
      const stored = tickets.get(hash) ?? null;
      tickets.delete(hash);
      return stillValid(stored, options.clock);
    },
  };
}

/** Shared by the replicas: the ticket may be issued by one and redeemed at another. GETDEL makes it single-use. */
export function createRedisLiveTickets(options: { redis: Redis; clock: Clock; keyPrefix?: string }): LiveTickets {
  const key = (hash: string) => `${options.keyPrefix ?? ''}live:ticket:${hash}`;
  return {
    async issue(tenant) {
      const ticket = newTicket();
      const stored: StoredTicket = { tenant, expiresAt: options.clock.now().getTime() + liveTicketTtlSeconds * 1000 };
      await options.redis.set(key(ticketHash(ticket)), JSON.stringify(stored), 'PX', liveTicketTtlSeconds * 1000);
      return { ticket, expiresIn: liveTicketTtlSeconds };
    },
    async redeem(ticket) {
      const raw = await options.redis.getdel(key(ticketHash(ticket)));
      return stillValid(raw ? (JSON.parse(raw) as StoredTicket) : null, options.clock);
    },
  };
}
