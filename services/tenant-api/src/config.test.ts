import { randomBytes } from 'node:crypto';
import { ConfigError } from '@app/runtime/service';
import { describe, expect, it } from 'vitest';
import { deploymentInstanceLimits, loadTenantApiConfig } from './config.ts';

const key = randomBytes(32).toString('base64');

describe('tenant API configuration', () => {
  it('has laptop-friendly defaults and turns durations into seconds', () => {
    const config = loadTenantApiConfig({ ACCESS_TOKEN_TTL: '10m' });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      ACCESS_TOKEN_TTL: 600,
      REFRESH_TOKEN_TTL: 30 * 86_400,
      PUBLIC_URL: 'http://localhost:3000',
      PASSWORD_HASH_MEMORY_KIB: 19_456,
      LOGIN_RATE_WINDOW: 900,
    });
    expect(config.SMTP_URL).toBeUndefined();
  });

  it('requires the JWT secret and the credentials key in production, naming the keys and not the values', () => {
    try {
      loadTenantApiConfig({ NODE_ENV: 'production', ACCESS_TOKEN_TTL: 'soon', SMTP_URL: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['JWT_SECRET', 'CREDENTIALS_KEY', 'ACCESS_TOKEN_TTL', 'SMTP_URL']) expect(problems).toContain(name);
      expect(problems).not.toContain('not a url');
    }
    expect(() => loadTenantApiConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CREDENTIALS_KEY: key })).not.toThrow();
  });

  it('accepts one base64 key or a rotation list, and refuses a key of the wrong size', () => {
    expect(loadTenantApiConfig({ CREDENTIALS_KEY: `new:${key},old:${randomBytes(32).toString('base64')}` }).CREDENTIALS_KEY).toContain('new:');
    expect(() => loadTenantApiConfig({ CREDENTIALS_KEY: randomBytes(16).toString('base64') })).toThrow(/CREDENTIALS_KEY/);
  });

  it('bounds instances per business and WhatsApp Web sessions on the platform, and names a bad limit', () => {
    expect(deploymentInstanceLimits(loadTenantApiConfig({}))).toEqual({
      instancesPerBusiness: 20,
      whatsappWebInstancesPerBusiness: 5,
      whatsappWebSessions: 100,
    });
    expect(
      deploymentInstanceLimits(
        loadTenantApiConfig({ MAX_INSTANCES_PER_BUSINESS: '3', MAX_BAILEYS_INSTANCES_PER_BUSINESS: '0', BAILEYS_MAX_SESSIONS: '40' }),
      ),
    ).toEqual({
      instancesPerBusiness: 3,
      whatsappWebInstancesPerBusiness: 0,
      whatsappWebSessions: 40,
    });
    try {
      loadTenantApiConfig({ MAX_INSTANCES_PER_BUSINESS: '-1', MAX_BAILEYS_INSTANCES_PER_BUSINESS: 'many', BAILEYS_MAX_SESSIONS: '2.5' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'BAILEYS_MAX_SESSIONS',
        'MAX_BAILEYS_INSTANCES_PER_BUSINESS',
        'MAX_INSTANCES_PER_BUSINESS',
      ]);
    }
  });
});
