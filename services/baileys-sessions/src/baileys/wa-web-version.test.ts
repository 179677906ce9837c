import { createLogger } from '@app/runtime/service';
import { describe, expect, it } from 'vitest';
import { createWaWebVersionSource, parseWaVersion, type FetchLatestWaWebVersion } from './wa-web-version.ts';

const logger = createLogger({ service: 'wa-version-test', level: 'silent' });
const pinnedInBaileys = [2, 3000, 1] as [number, number, number];

describe('WhatsApp Web version', () => {
  it('parses a configured version and rejects anything else', () => {
    expect(parseWaVersion('2.3000.1043857760')).toEqual([2, 3000, 1043857760]);
    expect(parseWaVersion('2.3000')).toBeNull();
    expect(parseWaVersion(undefined)).toBeNull();
  });

  it('a configured version wins and is never replaced by a refresh', async () => {
    let asked = 0;
    const source = createWaWebVersionSource({
      configured: [2, 3000, 7],
      fetchLatest: async () => ((asked += 1), { version: [2, 3000, 9], isLatest: true }),
      logger,
    });
    await source.refresh();
    expect(source.current()).toEqual([2, 3000, 7]);
    expect(asked).toBe(0);
  });

  it('refreshes from web.whatsapp.com at start; keeps Baileys’ own when that fails or hangs', async () => {
    const fresh = createWaWebVersionSource({ configured: null, fetchLatest: async () => ({ version: [2, 3000, 9], isLatest: true }), logger });
    expect(fresh.current()).toBeUndefined();
    await fresh.refresh();
    expect(fresh.current()).toEqual([2, 3000, 9]);

    // Baileys answers a failed fetch with its pinned version and isLatest: false.
    const offline = createWaWebVersionSource({
      configured: null,
      fetchLatest: async () => ({ version: pinnedInBaileys, isLatest: false, error: new Error('ENOTFOUND') }),
      logger,
    });
    await offline.refresh();
    expect(offline.current()).toBeUndefined();

    const hanging: FetchLatestWaWebVersion = ({ signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const slow = createWaWebVersionSource({ configured: null, fetchLatest: hanging, logger, timeoutMs: 20 });
    await slow.refresh();
    expect(slow.current()).toBeUndefined();
  });
});
