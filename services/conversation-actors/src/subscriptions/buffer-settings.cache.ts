import type { PrismaClient } from '@app/db';
import type { Clock } from '@app/runtime/ports';

export interface BufferSettings {
  bufferSeconds: number;
  maxBufferSeconds: number;
}

type Provider = 'META' | 'BAILEYS' | 'SANDBOX';

const defaults: BufferSettings = { bufferSeconds: 5, maxBufferSeconds: 30 };

/**
 * A business's buffering settings and an instance's provider, read on every inbound message: cached briefly, so a
 * burst of thousands of messages does not mean thousands of reads, yet a changed setting applies within seconds.
 */
export class BufferSettingsCache {
  private readonly settings = new Map<string, { value: BufferSettings; expiresAt: number }>();
  // An instance never changes its provider: cached for the life of the process.
  private readonly providers = new Map<string, Provider>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  async bufferSettings(businessId: string): Promise<BufferSettings> {
    const now = this.clock.now().getTime();
    const cached = this.settings.get(businessId);
    if (cached && cached.expiresAt > now) return cached.value;
    const row = await this.prisma.agentConfig.findUnique({ where: { businessId }, select: { bufferSeconds: true, maxBufferSeconds: true } });
    const value = row ?? defaults;
    if (this.settings.size > 10_000) this.settings.clear(); // bounded: a cache, not a registry
    this.settings.set(businessId, { value, expiresAt: now + this.ttlSeconds * 1000 });
    return value;
  }

  /** Null when the instance does not exist (deleted, or another tenant's id). */
  async provider(businessId: string, instanceId: string): Promise<Provider | null> {
    const cached = this.providers.get(instanceId);
    if (cached) return cached;
    const row = await this.prisma.instance.findFirst({ where: { id: instanceId, businessId }, select: { provider: true } });
    if (!row) return null;
    if (this.providers.size > 10_000) this.providers.clear();
    this.providers.set(instanceId, row.provider);
    return row.provider;
  }
}
