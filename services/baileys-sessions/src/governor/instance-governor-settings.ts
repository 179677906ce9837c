import type { PrismaClient } from '@app/db';
import { readSendingSettings, type SendingSettings } from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { BaileysSessionsConfig } from '../config.ts';
import { BoundedCache } from '../memory/bounded-cache.ts';
import { defaultGovernorConfig, type GovernorConfig } from './sending-governor.ts';

/** The deployment's governor defaults (BAILEYS_* settings). */
export function governorDefaultsFromConfig(
  config: Pick<
    BaileysSessionsConfig,
    'BAILEYS_MAX_PER_MINUTE' | 'BAILEYS_MIN_GAP_PER_RECIPIENT_MS' | 'BAILEYS_NEW_CONTACTS_PER_DAY' | 'BAILEYS_TYPING'
  >,
): GovernorConfig {
  return {
    ...defaultGovernorConfig,
    maxPerMinute: config.BAILEYS_MAX_PER_MINUTE,
    minGapPerRecipientMs: config.BAILEYS_MIN_GAP_PER_RECIPIENT_MS,
    newContactsPerDay: config.BAILEYS_NEW_CONTACTS_PER_DAY,
    ...(config.BAILEYS_TYPING ? {} : { minTypingMs: 0, maxTypingMs: 0, jitterMs: 0 }),
  };
}

export interface InstanceGovernorSettingsOptions {
  prisma: Pick<PrismaClient, 'instance'>;
  defaults: GovernorConfig;
  /** An edit reaches the egress within this long (default 10 s); one read per instance per period at most. */
  cacheMs?: number;
  clock?: Clock;
}

/**
 * The governor settings of an instance as the egress asks for them on every send: `Instance.baileysSettings`
 * over the deployment's defaults, read from the database at most once per `cacheMs` per instance (bounded cache).
 */
export function createInstanceGovernorSettings(options: InstanceGovernorSettingsOptions): (instanceId: string) => Promise<GovernorConfig> {
  const now = options.clock ? () => options.clock!.now().getTime() : Date.now;
  const cache = new BoundedCache<GovernorConfig>({ maxEntries: 5_000, ttlMs: options.cacheMs ?? 10_000, now });
  return async (instanceId) => {
    const cached = cache.get(instanceId);
    if (cached) return cached;
    const instance = await options.prisma.instance.findUnique({ where: { id: instanceId }, select: { baileysSettings: true } });
    const config = governorConfigOf(options.defaults, readSendingSettings(instance?.baileysSettings));
    cache.set(instanceId, config);
    return config;
  };
}

/** The governor of one instance: its own settings over the deployment's defaults. */
export function governorConfigOf(defaults: GovernorConfig, settings: SendingSettings): GovernorConfig {
  const config: GovernorConfig = { ...defaults };
  if (settings.maxPerMinute !== undefined) config.maxPerMinute = settings.maxPerMinute;
  if (settings.minGapPerRecipientMs !== undefined) config.minGapPerRecipientMs = settings.minGapPerRecipientMs;
  if (settings.newContactsPerDay !== undefined) config.newContactsPerDay = settings.newContactsPerDay;
  if (settings.typing === false) {
    config.minTypingMs = 0;
    config.maxTypingMs = 0;
  } else if (settings.typing === true && defaults.maxTypingMs === 0) {
    // The deployment turned typing off; this instance wants it back with the usual timing.
    config.minTypingMs = defaultGovernorConfig.minTypingMs;
    config.maxTypingMs = defaultGovernorConfig.maxTypingMs;
    config.typingMsPerCharacter = defaultGovernorConfig.typingMsPerCharacter;
  }
  return config;
}
