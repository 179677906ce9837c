import type { PrismaClient } from '@app/db';

export interface RoutedInstance {
  id: string;
  businessId: string;
}

/** phone_number_id → the Cloud API instance it belongs to; the hot path asks this for every webhook. */
export interface InstanceDirectory {
  findByPhoneNumberId(phoneNumberId: string): Promise<RoutedInstance | null>;
  /** Forget a cached answer (an instance was created, moved or deleted). */
  invalidate(phoneNumberId?: string): void;
}

export interface InstanceDirectoryOptions {
  /** How long a found instance is trusted (default 60 s). */
  ttlMs?: number;
  /** How long "no such instance" is trusted (default 10 s), so a newly added number starts working soon. */
  missingTtlMs?: number;
  now?: () => number;
}

/** A small TTL cache over `Instance.phoneNumberId` (unique); concurrent misses share one query. */
export function createInstanceDirectory(prisma: PrismaClient, options: InstanceDirectoryOptions = {}): InstanceDirectory {
  const ttlMs = options.ttlMs ?? 60_000;
  const missingTtlMs = options.missingTtlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: RoutedInstance | null; expiresAt: number }>();
  const inFlight = new Map<string, Promise<RoutedInstance | null>>();

  async function load(phoneNumberId: string): Promise<RoutedInstance | null> {
    const instance = await prisma.instance.findUnique({
      where: { phoneNumberId },
      select: { id: true, businessId: true, provider: true },
    });
    const value = instance && instance.provider === 'META' ? { id: instance.id, businessId: instance.businessId } : null;
    cache.set(phoneNumberId, { value, expiresAt: now() + (value ? ttlMs : missingTtlMs) });
    return value;
  }

  return {
    async findByPhoneNumberId(phoneNumberId) {
      const cached = cache.get(phoneNumberId);
      if (cached && cached.expiresAt > now()) return cached.value;
      let pending = inFlight.get(phoneNumberId);
      if (!pending) {
        pending = load(phoneNumberId).finally(() => inFlight.delete(phoneNumberId));
        inFlight.set(phoneNumberId, pending);
      }
      return pending;
    },
    invalidate(phoneNumberId) {
      if (phoneNumberId === undefined) cache.clear();
      else cache.delete(phoneNumberId);
    },
  };
}
