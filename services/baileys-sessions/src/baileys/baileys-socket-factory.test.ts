import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createLogger } from '@app/runtime/service';
import type * as Baileys from '@whiskeysockets/baileys';
import { S_WHATSAPP_NET, type SocketConfig, type UserFacingSocketConfig } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryAuthStateStore } from '../../test/support/memory-auth-state-store.ts';
import { loadAuthenticationState } from '../auth-state/authentication-state.ts';
import { BoundedCache } from '../memory/bounded-cache.ts';
import { createBaileysSocketFactory } from './baileys-socket-factory.ts';
import { socketCacheLimits } from './socket-caches.ts';

// makeWASocket is replaced by a recorder: this test checks what the factory asks Baileys for, option by option.
const made = vi.hoisted(() => ({ configs: [] as UserFacingSocketConfig[], socket: null as Record<string, unknown> | null }));
vi.mock('@whiskeysockets/baileys', async (importOriginal) => {
  const actual = await importOriginal<typeof Baileys>();
  return {
    ...actual,
    default: (config: UserFacingSocketConfig) => {
      made.configs.push(config);
      made.socket = {
        ev: { on: vi.fn(), flush: vi.fn(() => true) },
        ws: { on: vi.fn() },
        query: vi.fn(async () => ({})),
        generateMessageTag: () => 'tag-1',
        onWhatsApp: vi.fn(async () => [{ jid: '5511988880000@s.whatsapp.net', exists: true }]),
        end: vi.fn(),
      };
      return made.socket;
    },
  };
});

const logger = createLogger({ service: 'socket-factory-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });

async function input() {
  const auth = await loadAuthenticationState({ store: createMemoryAuthStateStore(), instanceId: 'i-1', secretBox });
  return {
    instanceId: 'i-1',
    auth: auth.state,
    logger,
    getMessage: vi.fn(async () => undefined),
    messageRetries: new BoundedCache(socketCacheLimits.messageRetries),
  };
}

afterEach(() => {
  made.configs.length = 0;
});

describe('createBaileysSocketFactory → makeWASocket options', () => {
  it('passes every option a business number needs', async () => {
    const given = await input();
    createBaileysSocketFactory({ version: () => [2, 3000, 1043857760] }).create(given);
    const config = made.configs[0] as Partial<SocketConfig>;
    expect(Object.keys(config).sort()).toEqual(
      [
        'auth',
        'browser',
        'callOfferCache',
        'getMessage',
        'logger',
        'markOnlineOnConnect',
        'msgRetryCounterCache',
        'placeholderResendCache',
        'shouldIgnoreJid',
        'syncFullHistory',
        'userDevicesCache',
        'version',
      ].sort(),
    );
    expect(config.auth!.creds).toBe(given.auth.creds);
    // The store sits behind Baileys' cacheable key store, not handed over raw.
    expect(config.auth!.keys).not.toBe(given.auth.keys);
    expect(config.getMessage).toBe(given.getMessage);
    expect(config.msgRetryCounterCache).toBe(given.messageRetries);
    for (const cache of [config.userDevicesCache, config.callOfferCache, config.placeholderResendCache]) expect(cache).toBeInstanceOf(BoundedCache);
    expect(config.version).toEqual([2, 3000, 1043857760]);
    expect(config.browser).toEqual(['Mac OS', 'Chrome', expect.any(String)]);
    expect(config.markOnlineOnConnect).toBe(false);
    expect(config.syncFullHistory).toBe(false);
    expect((config.logger as unknown as { level: string }).level).toBe('warn');
    expect(config.shouldIgnoreJid!('status@broadcast')).toBe(true);
    expect(config.shouldIgnoreJid!('120363025246125888@newsletter')).toBe(true);
    expect(config.shouldIgnoreJid!('5511999990001@s.whatsapp.net')).toBe(false);
    expect(config.shouldIgnoreJid!('123456789012345@lid')).toBe(false);
  });

  it('leaves the version to Baileys when none is known, and takes the browser name and history option', async () => {
    createBaileysSocketFactory({ browserName: 'Safari', syncFullHistory: true, version: () => undefined }).create(await input());
    const config = made.configs[0] as Partial<SocketConfig>;
    expect('version' in config).toBe(false);
    expect(config.browser).toEqual(['Mac OS', 'Safari', expect.any(String)]);
    expect(config.syncFullHistory).toBe(true);
  });

  it('adapts the socket: flush, number lookup and a keep-alive ping with its timeout', async () => {
    const socket = await createBaileysSocketFactory().create(await input());
    const baileys = made.socket as { ev: { flush: ReturnType<typeof vi.fn> }; query: ReturnType<typeof vi.fn>; onWhatsApp: ReturnType<typeof vi.fn> };
    expect(socket.ev.flush()).toBe(true);
    expect(baileys.ev.flush).toHaveBeenCalledOnce();
    expect(await socket.onWhatsApp('551188880000')).toEqual([{ jid: '5511988880000@s.whatsapp.net', exists: true }]);
    expect(baileys.onWhatsApp).toHaveBeenCalledWith('551188880000');
    await socket.ping(15_000);
    expect(baileys.query).toHaveBeenCalledWith(
      { tag: 'iq', attrs: { id: 'tag-1', to: S_WHATSAPP_NET, type: 'get', xmlns: 'w:p' }, content: [{ tag: 'ping', attrs: {} }] },
      15_000,
    );
  });
});
