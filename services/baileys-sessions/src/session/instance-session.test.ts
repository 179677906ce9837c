import type { SessionStatus } from '@app/domain';
import { describe, expect, it } from 'vitest';
import { createInstanceSessionHarness } from '../../test/support/instance-session-harness.ts';
import type { createMemoryAuthStateStore } from '../../test/support/memory-auth-state-store.ts';
import type { WatchdogConfig } from '../watchdog/session-watchdog.ts';

const instanceId = '0b6f6f0e-4a44-4a51-9d7f-0d6bb1a0c001';

function setup(options: { store?: ReturnType<typeof createMemoryAuthStateStore>; watchdog?: Partial<WatchdogConfig> } = {}) {
  const statuses: SessionStatus[] = [];
  return { ...createInstanceSessionHarness({ instanceId, handlers: { onStatus: (status) => statuses.push(status) }, ...options }), statuses };
}

async function pairedAndOpen() {
  const context = setup();
  await context.session.start();
  context.factory.latest().showQr();
  context.factory.latest().completePairing();
  await context.timers.advance(0);
  context.factory.latest().open();
  await context.timers.advance(0);
  return context;
}

describe('InstanceSession', () => {
  it('QR → pairing code → scan → 515 → a new socket at once → open, with creds persisted', async () => {
    const { session, factory, store, timers } = setup();
    await session.start();
    expect(session.status().state).toBe('connecting');
    factory.latest().showQr('2@qr-one');
    expect(session.status()).toMatchObject({ state: 'waiting-for-scan', qr: '2@qr-one', registered: false });
    expect(await session.requestPairingCode('+55 11 98888-0000')).toBe('ABCD1234');
    expect(factory.latest().pairingRequests).toEqual(['5511988880000']);
    expect(session.status().pairingCode).toBe('ABCD1234');

    factory.latest().completePairing();
    await timers.advance(0);
    expect(factory.sockets).toHaveLength(2);
    expect(factory.sockets[0]!.ended).toBe(true);
    expect(await store.hasCreds(instanceId)).toBe(true);
    factory.latest().open();
    expect(session.status()).toMatchObject({
      state: 'open',
      qr: null,
      pairingCode: null,
      registered: true,
      account: '5511888880000:12@s.whatsapp.net',
    });
  });

  it('resumes a paired session after a process restart without a new scan', async () => {
    const { store, session } = await pairedAndOpen();
    await session.stop();
    const restarted = setup({ store });
    await restarted.session.start();
    const socket = restarted.factory.latest();
    expect(socket.auth.creds.account).toBeDefined();
    expect(socket.auth.creds.me?.id).toBe('5511888880000:12@s.whatsapp.net');
    socket.open();
    expect(restarted.session.status().state).toBe('open');
  });

  it('reconnects transient closes with exponential backoff, capped, and resets after a stable minute open', async () => {
    const { session, factory, timers } = await pairedAndOpen();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const before = factory.sockets.length;
      factory.latest().closeWith(428, 'Connection Closed');
      await timers.advance(0);
      const status = session.status();
      expect(status.state).toBe('reconnecting');
      const waitMs = Date.parse(status.nextAttemptAt!) - timers.now().getTime();
      delays.push(waitMs);
      await timers.advance(waitMs - 1);
      expect(factory.sockets).toHaveLength(before);
      await timers.advance(1);
      expect(factory.sockets).toHaveLength(before + 1);
    }
    // random() = 0 → no jitter taken off: 1 s, 2 s, 4 s … capped at 30 s.
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    factory.latest().open();
    await timers.advance(59_999);
    expect(session.status().reconnectAttempts).toBe(7);
    await timers.advance(1);
    expect(session.status().reconnectAttempts).toBe(0);
  });

  it('logged out (401): wipes the creds, asks for a new scan and does not reconnect', async () => {
    const { session, factory, store, timers } = await pairedAndOpen();
    factory.latest().closeWith(401, 'Connection Failure');
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'logged-out', registered: false, lastDisconnect: { code: 401 } });
    expect(await store.hasCreds(instanceId)).toBe(false);
    const count = factory.sockets.length;
    await timers.advance(3_600_000);
    expect(factory.sockets).toHaveLength(count);
    await session.start();
    expect(factory.latest().auth.creds.registered).toBe(false);
  });

  it.each([
    [440, 'connection-replaced'],
    [403, 'forbidden'],
  ] as const)('close %i stops the session (%s) and never reconnects by itself', async (code, reason) => {
    const { session, factory, store, timers } = await pairedAndOpen();
    factory.latest().closeWith(code);
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'stopped', stopReason: reason });
    const count = factory.sockets.length;
    await timers.advance(3_600_000);
    expect(factory.sockets).toHaveLength(count);
    expect(await store.hasCreds(instanceId)).toBe(true);
  });

  it('stops when the QR codes run out with nobody scanning (408 before pairing)', async () => {
    const { session, factory, timers } = setup();
    await session.start();
    factory.latest().showQr();
    factory.latest().closeWith(408, 'QR refs attempts ended');
    await timers.advance(0);
    expect(session.status()).toMatchObject({ state: 'stopped', stopReason: 'scan-timeout' });
  });

  it('does not loop on 515: after three immediate restarts without opening it backs off', async () => {
    const { session, factory, timers } = await pairedAndOpen();
    factory.latest().closeWith(428);
    await timers.advance(1_000);
    for (let restart = 1; restart <= 3; restart++) {
      factory.latest().closeWith(515);
      await timers.advance(0);
      expect(session.status().state).toBe('connecting');
    }
    factory.latest().closeWith(515);
    await timers.advance(0);
    expect(session.status().state).toBe('reconnecting');
  });

  it('watchdog: failing keep-alive pings recycle the socket, counted in the status', async () => {
    const { session, factory, timers } = await pairedAndOpen();
    const socket = factory.latest();
    await timers.advance(30_000);
    expect(socket.pings).toBe(1);
    expect(session.status().state).toBe('open');
    socket.pingAnswers = false;
    await timers.advance(30_000 + 10_000);
    expect(session.status().state).toBe('open');
    await timers.advance(30_000 + 10_000);
    expect(socket.ended).toBe(true);
    expect(session.status()).toMatchObject({ state: 'reconnecting', watchdogRecycles: { silent: 0, keepAliveFailed: 1 } });
    await timers.advance(1_000);
    expect(factory.sockets.at(-1)).not.toBe(socket);
  });

  it('watchdog: a socket without frames for maxSilence is recycled even if it never errors', async () => {
    const { session, factory, timers } = setup({ watchdog: { maxFailedPings: 1_000 } });
    await session.start();
    factory.latest().completePairing();
    await timers.advance(0);
    const socket = factory.latest();
    socket.open();
    // Pings hang and are never counted as fatal here: only the silence can recycle.
    socket.pingAnswers = false;
    await timers.advance(119_000);
    expect(socket.ended).toBe(false);
    // Checks at 30 s, 70 s, 110 s (each hung ping costs its 10 s timeout), then 150 s: 150 s of silence.
    await timers.advance(31_000);
    expect(socket.ended).toBe(true);
    expect(session.status().watchdogRecycles).toEqual({ silent: 1, keepAliveFailed: 0 });
  });

  it('logout unlinks the device and wipes the creds; stop ignores the old socket afterwards', async () => {
    const { session, factory, store, timers } = await pairedAndOpen();
    const socket = factory.latest();
    await session.logout();
    expect(socket.loggedOut).toBe(true);
    expect(session.status().state).toBe('logged-out');
    expect(await store.hasCreds(instanceId)).toBe(false);

    await session.start();
    const next = factory.latest();
    await session.stop();
    next.closeWith(428);
    await timers.advance(60_000);
    expect(session.status().state).toBe('stopped');
    expect(factory.latest()).toBe(next);
  });
});
