import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../service/load-config.ts';
import { httpToolCallerFromSettings, httpToolSettingsShape } from './http-tool-settings.ts';

const schema = z.object(httpToolSettingsShape);
const sidecar = { daprHttpUrl: 'http://127.0.0.1:9' };

describe('the HTTP tool settings', () => {
  it('default to https only and an empty allow-list, and refuse an allow-list entry they cannot read', () => {
    expect(schema.parse({})).toEqual({ HTTP_TOOLS_ALLOW_HTTP: false, HTTP_TOOLS_ALLOW_LIST: '' });
    expect(schema.parse({ HTTP_TOOLS_ALLOW_HTTP: '1', HTTP_TOOLS_ALLOW_LIST: 'localhost,10.0.0.0/8' }).HTTP_TOOLS_ALLOW_HTTP).toBe(true);
    expect(schema.safeParse({ HTTP_TOOLS_ALLOW_LIST: 'localhost,10.0.0.0/99' }).success).toBe(false);
  });

  it('need the binding’s url with the binding, and then refuse tool URLs outside it', async () => {
    expect(() => httpToolCallerFromSettings(schema.parse({ HTTP_TOOLS_BINDING: 'http-tools' }), sidecar)).toThrow(ConfigError);
    const caller = httpToolCallerFromSettings(
      schema.parse({ HTTP_TOOLS_BINDING: 'http-tools', HTTP_TOOLS_BINDING_URL: 'https://n8n.example/webhook' }),
      sidecar,
    );
    await expect(
      caller.call({ url: 'https://other.example/webhook/x', method: 'POST', headers: {}, body: '{}', timeoutMs: 1_000 }),
    ).resolves.toMatchObject({
      ok: false,
      error: expect.stringContaining('under https://n8n.example/webhook only'),
    });
  });
});
