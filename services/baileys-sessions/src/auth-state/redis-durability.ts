import type { Redis } from 'ioredis';

/** What decides whether Redis keeps the auth state: its eviction policy and its persistence settings. */
export interface RedisDurabilitySettings {
  /** `maxmemory-policy` (INFO memory). */
  maxmemoryPolicy: string | null;
  /** `appendonly` (CONFIG GET): yes = AOF persistence. */
  appendonly: string | null;
  /** `save` (CONFIG GET): RDB snapshot rules; empty = none. Null when CONFIG is not allowed. */
  save: string | null;
}

/**
 * Why Redis would lose auth state, or nothing. Losing it unlinks every number (a new scan each), so Redis is only
 * acceptable with persistence (AOF, or RDB snapshots) and an eviction policy that never drops our keys: `noeviction`,
 * or a `volatile-*` policy (only keys with a TTL are evicted; auth keys have none). Pure.
 */
export function redisDurabilityProblems(settings: RedisDurabilitySettings): string[] {
  const problems: string[] = [];
  const policy = settings.maxmemoryPolicy;
  if (policy === null) problems.push('its maxmemory-policy could not be read');
  else if (policy !== 'noeviction' && !policy.startsWith('volatile-')) {
    problems.push(`maxmemory-policy is ${policy}: under memory pressure it evicts auth keys (use noeviction)`);
  }
  const aof = settings.appendonly === 'yes';
  const rdb = !!settings.save && settings.save.trim() !== '';
  if (!aof && !rdb) {
    problems.push(
      settings.appendonly === null && settings.save === null
        ? 'its persistence settings could not be read (CONFIG GET refused)'
        : 'it has no persistence (appendonly no, no save rules): a restart loses every session',
    );
  }
  return problems;
}

/** Reads the settings from a live Redis (INFO memory, CONFIG GET appendonly/save). */
export async function readRedisDurabilitySettings(redis: Redis): Promise<RedisDurabilitySettings> {
  const memory = await redis.info('memory');
  const maxmemoryPolicy = /^maxmemory_policy:(\S+)/m.exec(memory)?.[1] ?? null;
  const configValue = async (name: string): Promise<string | null> => {
    try {
      const answer = (await redis.config('GET', name)) as string[];
      return answer[1] ?? null;
    } catch {
      // Managed services often refuse CONFIG; reported as unreadable, which fails the check.
      return null;
    }
  };
  return { maxmemoryPolicy, appendonly: await configValue('appendonly'), save: await configValue('save') };
}

/** Start-up check for BAILEYS_AUTH_STORE=redis: throws with every reason Redis would lose the auth state. */
export async function assertRedisKeepsAuthState(redis: Redis): Promise<void> {
  const problems = redisDurabilityProblems(await readRedisDurabilitySettings(redis));
  if (problems.length === 0) return;
  throw new Error(
    `BAILEYS_AUTH_STORE=redis refused: ${problems.join('; ')}. Losing the auth state unlinks every number; fix Redis or use BAILEYS_AUTH_STORE=postgres (the default).`,
  );
}
