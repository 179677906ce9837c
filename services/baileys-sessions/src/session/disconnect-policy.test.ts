import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff } from './backoff.ts';
import { closeStatusCode, decideOnClose } from './disconnect-policy.ts';

describe('decideOnClose', () => {
  it.each([
    [515, true, false, { action: 'restart-now' }],
    [401, true, false, { action: 'logged-out' }],
    [411, true, false, { action: 'stop', reason: 'multidevice-mismatch' }],
    [405, true, false, { action: 'reconnect' }],
    [440, true, false, { action: 'stop', reason: 'connection-replaced' }],
    [403, true, false, { action: 'stop', reason: 'forbidden' }],
    [408, false, true, { action: 'stop', reason: 'scan-timeout' }],
    // Offline before any QR (real Baileys: "WebSocket Error (getaddrinfo ENOTFOUND web.whatsapp.com)", 408).
    [408, false, false, { action: 'reconnect' }],
    [408, true, false, { action: 'reconnect' }],
    [428, true, false, { action: 'reconnect' }],
    [500, true, false, { action: 'reconnect' }],
    [503, true, false, { action: 'reconnect' }],
    [null, true, false, { action: 'reconnect' }],
  ] as const)('code %s (paired %s, QR shown %s) → %o', (code, paired, qrShown, decision) => {
    expect(decideOnClose(code, { paired, qrShown, versionRefusals: 1 })).toEqual(decision);
  });

  it('stops after repeated 405s (outdated WhatsApp Web version) instead of retrying forever', () => {
    expect(decideOnClose(405, { paired: true, qrShown: false, versionRefusals: 2 })).toEqual({ action: 'reconnect' });
    expect(decideOnClose(405, { paired: true, qrShown: false, versionRefusals: 3 })).toEqual({ action: 'stop', reason: 'version-outdated' });
  });

  it('reads the code from a Boom and tolerates plain errors', () => {
    expect(closeStatusCode({ output: { statusCode: 440 } })).toBe(440);
    expect(closeStatusCode(new Error('x'))).toBeNull();
    expect(closeStatusCode(undefined)).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, stays under the cap, and jitter only shortens', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 50].map((attempt) => backoffDelay(attempt, policy, 0))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    expect(backoffDelay(3, policy, 0.999)).toBeGreaterThanOrEqual(2_000);
    expect(backoffDelay(3, policy, 0.999)).toBeLessThan(4_000);
    for (let attempt = 1; attempt < 100; attempt++)
      expect(backoffDelay(attempt, defaultBackoff, Math.random())).toBeLessThanOrEqual(defaultBackoff.maxMs);
  });
});
