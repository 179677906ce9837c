import { ConfigError } from '@app/runtime/service';
import { describe, expect, it } from 'vitest';
import { loadStandaloneConfig } from './config.ts';

describe('standalone configuration', () => {
  it('refuses to start with a bad instance limit, naming it together with every other problem', () => {
    try {
      loadStandaloneConfig({ BAILEYS_MAX_SESSIONS: 'lots', MAX_INSTANCES_PER_BUSINESS: '-2', PORT: 'eighty' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const keys = (error as ConfigError).problems.map((problem) => problem.split(':')[0]).sort();
      expect(keys).toEqual(['BAILEYS_MAX_SESSIONS', 'MAX_INSTANCES_PER_BUSINESS', 'PORT']);
    }
    expect(loadStandaloneConfig({ BAILEYS_MAX_SESSIONS: '8' }).tenantApi).toMatchObject({
      BAILEYS_MAX_SESSIONS: 8,
      MAX_BAILEYS_INSTANCES_PER_BUSINESS: 5,
    });
  });
});
