import type { WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { createInstanceSessionHarness } from '../../test/support/instance-session-harness.ts';
import type { createMemoryAuthStateStore } from '../../test/support/memory-auth-state-store.ts';
import type { SessionEventHandlers } from './instance-session.ts';
import { SessionError } from '@app/domain';

// What a real phone does to a session that the kinder fake used to hide (Baileys 7.0.0-rc14 behaviour).
const instanceId = '0b6f6f0e-4a44-4a51-9d7f-0d6bb1a0c002';

function setup(options: { store?: ReturnType<typeof createMemoryAuthStateStore>; handlers?: SessionEventHandlers } = {}) {
  const received: string[] = [];
  const handlers = options.handlers ?? { onMessages: (_id, upsert) => received.push(...upsert.messages.map((message) => message.key.id!)) };
  return { ...createInstanceSessionHarness({ instanceId, handlers, ...(options.store ? { store: options.store } : {}) }), received };
}

async function linkedByQr(context = setup()) {
  await context.session.start();
  context.factory.latest().showQr();
  context.factory.latest().completePairing();
  await context.timers.advance(0);
  context.factory.latest().open();
  await context.timers.advance(0);
  return context;
}

const textMessage = (id: string): WAMessage =>
  ({
    key: { remoteJid: '5511999990001@s.whatsapp.net', fromMe: false, id },
    messageTimestamp: 1767225600,
    message: { conversation: 'oi' },
  }) as WAMessage;

describe('pairing as rc14 does it', () => {
  it('a number linked by QR (Baileys never sets `registered`) is paired: reported so, resumed, and protected', async () => {
    const { session, factory, store, timers } = await linkedByQr();
    expect(factory.latest().auth.creds.registered).toBe(false);
    expect(session.status()).toMatchObject({ state: 'open', registered: true, account: '5511888880000:12@s.whatsapp.net' });

    // During a reconnect a pairing-code request would overwrite `me` and log in as a stranger next time: refused.
    factory.latest().closeWith(428);
    await timers.advance(0);
    await expect(session.requestPairingCode('5511977770000')).rejects.toMatchObject({ code: 'SESSION_ALREADY_PAIRED' });
    await timers.advance(1_000);
    expect(factory.latest().auth.creds.me?.id).toBe('5511888880000:12@s.whatsapp.net');
    expect(factory.latest().pairingRequests).toEqual([]);

    // 408 while reconnecting a paired number is a network failure, not an unscanned QR.
    factory.latest().closeWith(408);
    await timers.advance(0);
    expect(session.status().state).toBe('reconnecting');
    expect(await store.hasCreds(instanceId)).toBe(true);
  });

  it('a pairing code is refused before the first QR (the WebSocket is not open: rc14 fails with 428) and creds stay clean', async () => {
    const { session, factory } = setup();
    await session.start();
    const error = await session.requestPairingCode('5511988880000').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionError);
    expect(error).toMatchObject({ code: 'SESSION_NOT_WAITING_FOR_SCAN' });
    expect(factory.latest().auth.creds.me).toBeUndefined();

    factory.latest().showQr();
    expect(await session.requestPairingCode('+55 11 98888-0000')).toBe('ABCD1234');
    expect(factory.latest().pairingRequests).toEqual(['5511988880000']);
  });

  it('a pairing code never typed leaves no half-made account: the creds are reset when the QRs run out', async () => {
    const { session, factory, store, timers } = setup();
    await session.start();
    factory.latest().showQr();
    await session.requestPairingCode('5511988880000');
    expect(factory.latest().auth.creds.me?.id).toBe('5511988880000@s.whatsapp.net');
    factory.latest().closeWith(408, 'QR refs attempts ended');
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'stopped', stopReason: 'scan-timeout', registered: false });
    expect(await store.hasCreds(instanceId)).toBe(false);
    await session.start();
    expect(factory.latest().auth.creds.me).toBeUndefined();
  });

  it('an unfinished pairing found in the store (process died meanwhile) is reset before connecting', async () => {
    const first = setup();
    await first.session.start();
    first.factory.latest().showQr();
    await first.session.requestPairingCode('5511988880000');
    await first.timers.advance(0);
    await first.session.stop();
    const again = setup({ store: first.store });
    await again.session.start();
    expect(again.factory.latest().auth.creds.me).toBeUndefined();
  });
});

describe('staying up as rc14 needs it', () => {
  it('delivers what Baileys still buffers before a socket is ended, and when WhatsApp closes it', async () => {
    const { session, factory, timers, received } = await linkedByQr();
    const socket = factory.latest();
    socket.bufferEvents();
    socket.emit('messages.upsert', { messages: [textMessage('BUFFERED-1')], type: 'notify' });
    expect(received).toEqual([]);
    socket.closeWith(428);
    expect(received).toEqual(['BUFFERED-1']);

    await timers.advance(1_000);
    const next = factory.latest();
    next.open();
    next.bufferEvents();
    next.emit('messages.upsert', { messages: [textMessage('BUFFERED-2')], type: 'notify' });
    await session.stop();
    expect(received).toEqual(['BUFFERED-1', 'BUFFERED-2']);
  });

  it('a throwing handler recycles this session only: nothing escapes to the process', async () => {
    let calls = 0;
    const context = setup({
      handlers: {
        onMessages: () => {
          calls += 1;
          throw new Error('handler bug');
        },
      },
    });
    const { session, factory, timers } = await linkedByQr(context);
    const socket = factory.latest();
    expect(() => socket.emit('messages.upsert', { messages: [textMessage('X')], type: 'notify' })).not.toThrow();
    expect(calls).toBe(1);
    expect(socket.ended).toBe(true);
    expect(session.status()).toMatchObject({ state: 'reconnecting', lastDisconnect: { message: expect.stringContaining('handler bug') } });
    await timers.advance(1_000);
    expect(factory.latest()).not.toBe(socket);
  });

  it('open-then-close loops keep backing off; only a minute open starts the count over', async () => {
    const { session, factory, timers } = await linkedByQr();
    const waits: number[] = [];
    for (let loop = 0; loop < 4; loop++) {
      factory.latest().closeWith(428);
      await timers.advance(0);
      const wait = Date.parse(session.status().nextAttemptAt!) - timers.now().getTime();
      waits.push(wait);
      await timers.advance(wait);
      factory.latest().open();
      await timers.advance(5_000);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
    await timers.advance(60_000);
    factory.latest().closeWith(428);
    await timers.advance(0);
    expect(Date.parse(session.status().nextAttemptAt!) - timers.now().getTime()).toBe(1_000);
  });

  it('411 stops and keeps the creds for a person to decide (no wipe that would unlink the number)', async () => {
    const { session, factory, store, timers } = await linkedByQr();
    factory.latest().closeWith(411, 'Multidevice mismatch');
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'stopped', stopReason: 'multidevice-mismatch', registered: true });
    expect(await store.hasCreds(instanceId)).toBe(true);
    const count = factory.sockets.length;
    await timers.advance(3_600_000);
    expect(factory.sockets).toHaveLength(count);
  });

  it('repeated 405 (outdated WhatsApp Web version) stops with a clear reason instead of retrying forever', async () => {
    const { session, factory, timers } = await linkedByQr();
    for (let refusal = 1; refusal <= 2; refusal++) {
      factory.latest().closeWith(405, 'Connection Failure');
      await timers.advance(0);
      expect(session.status().state).toBe('reconnecting');
      await timers.advance(60_000);
    }
    factory.latest().closeWith(405, 'Connection Failure');
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'stopped', stopReason: 'version-outdated' });
  });

  it('keeps message retry counts across socket restarts (one cache per session, not per socket)', async () => {
    const { factory, timers } = await linkedByQr();
    const first = factory.inputs.at(-1)!.messageRetries;
    await first.set('3EB0RETRY', 3);
    factory.latest().closeWith(428);
    await timers.advance(1_000);
    const next = factory.inputs.at(-1)!;
    expect(next.messageRetries).toBe(first);
    expect(await next.messageRetries.get('3EB0RETRY')).toBe(3);
  });

  it('a reach-out time lock restricts first contacts until WhatsApp lifts it', async () => {
    const { session, factory, timers } = await linkedByQr();
    const ends = new Date(timers.now().getTime() + 3_600_000);
    factory
      .latest()
      .emit('connection.update', { reachoutTimeLock: { isActive: true, timeEnforcementEnds: ends, enforcementType: 'DEFAULT' as never } });
    expect(session.status().restriction).toMatchObject({ reason: 'reachout-timelock', until: ends.toISOString() });
    factory.latest().emit('connection.update', { reachoutTimeLock: { isActive: false, enforcementType: 'DEFAULT' as never } });
    expect(session.status().restriction).toBeNull();
    session.noteRestriction('error-463');
    expect(session.status().restriction).toMatchObject({ reason: 'error-463' });
    await timers.advance(24 * 3_600_000);
    expect(session.status().restriction).toBeNull();
  });
});
