import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthenticationState } from '../src/auth-state/authentication-state.ts';
import { createPostgresAuthStateStore } from '../src/auth-state/postgres-auth-state-store.ts';
import { createSessionLeaseRepository } from '../src/lease/session-lease.repository.ts';
import { SessionHost, type SessionHostConfig } from '../src/session/session-host.ts';
import { FakeSocketFactory, pairedCreds } from './support/fake-socket.ts';

// Generous: the machine is shared and loaded; the conditions themselves settle in milliseconds when idle.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
const logger = createLogger({ service: 'baileys-requests-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
let database: TestDatabase;
const hosts: SessionHost[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const host of hosts) await host.stop();
  await database.drop();
});

async function instanceOn(slot: number, options: { paired?: boolean; requested?: boolean } = {}): Promise<string> {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider: 'BAILEYS', name: `web ${slot}`, slot, sessionRequestedAt: options.requested ? new Date() : null },
  });
  if (options.paired) {
    const auth = await loadAuthenticationState({ store: createPostgresAuthStateStore(database.prisma), instanceId: instance.id, secretBox });
    Object.assign(auth.state.creds, pairedCreds(`55119000000${slot}:1@s.whatsapp.net`));
    await auth.saveCreds();
  }
  return instance.id;
}

/** WhatsApp's first move (a macrotask later: after the session listens): a paired session opens, an unpaired one gets a QR. */
function whatsApp(onCreate?: (instanceId: string) => void) {
  return new FakeSocketFactory({
    onCreate: (socket) => {
      onCreate?.(socket.instanceId);
      setTimeout(() => (socket.auth.creds.account ? socket.open() : socket.showQr(`2@qr-${socket.instanceId}`)), 5);
    },
  });
}

function hostFor(factory: FakeSocketFactory, config: Partial<SessionHostConfig>): SessionHost {
  const host = new SessionHost({
    prisma: database.prisma,
    hostId: `host-${hosts.length}`,
    socketFactory: factory,
    authStore: createPostgresAuthStateStore(database.prisma),
    secretBox,
    leases: createSessionLeaseRepository(database.prisma),
    logger,
    random: () => 0,
    config: { leaseRetryMs: 200, ...config },
  });
  hosts.push(host);
  return host;
}

const requestOf = async (instanceId: string) => (await database.prisma.instance.findUniqueOrThrow({ where: { id: instanceId } })).sessionRequestedAt;

describe('session start requests are durable (Instance.sessionRequestedAt)', () => {
  it('at boot, starts every requested session — unpaired ones show a QR — and resumes paired ones, staggered; unrequested unpaired ones stay off', async () => {
    const requestedUnpaired = await instanceOn(21, { requested: true });
    const paired = await instanceOn(22, { paired: true });
    const idle = await instanceOn(23);
    const requestedToo = await instanceOn(24, { requested: true });
    const created: number[] = [];
    const factory = whatsApp(() => created.push(Date.now()));
    const host = hostFor(factory, { slots: [21, 22, 23, 24], startStaggerMs: 150 });

    const startedAt = Date.now();
    await host.start();
    await eventually(() => expect(created).toHaveLength(3));
    created.sort((a, b) => a - b).forEach((time, index) => expect(time - startedAt).toBeGreaterThanOrEqual(index * 150 - 5));
    expect(factory.sockets.map((socket) => socket.instanceId).sort()).toEqual([requestedUnpaired, paired, requestedToo].sort());
    await eventually(async () => {
      expect(await host.status(requestedUnpaired)).toMatchObject({ state: 'waiting-for-scan', qr: `2@qr-${requestedUnpaired}`, registered: false });
      expect((await host.status(paired))?.state).toBe('open');
    });
    expect((await host.status(idle))?.state).toBe('stopped');
    await host.stop();
  }, 120_000);

  it('picks up a request recorded while it could not be reached; clears it on logout and when the session ends by itself', async () => {
    const late = await instanceOn(31);
    const banned = await instanceOn(32);
    const factory = whatsApp();
    const host = hostFor(factory, { slots: [31, 32, 33], startStaggerMs: 0, requestSweepMs: 100 });
    await host.start();
    expect(factory.sockets).toHaveLength(0);

    // What the tenant API's remote control records when the pod did not answer yet.
    await database.prisma.instance.update({ where: { id: late }, data: { sessionRequestedAt: new Date() } });
    await eventually(async () => expect(await host.status(late)).toMatchObject({ state: 'waiting-for-scan', qr: `2@qr-${late}` }));
    expect(factory.sockets.filter((socket) => socket.instanceId === late)).toHaveLength(1);
    // Later sweeps leave a running session alone.
    await host.sweepRequests();
    expect(factory.sockets.filter((socket) => socket.instanceId === late)).toHaveLength(1);

    // Logout: the request is gone, the session stays off.
    expect((await host.logout(late)).state).toBe('logged-out');
    expect(await requestOf(late)).toBeNull();

    // WhatsApp refuses the number (403): the session stops by itself, its request is cleared, no sweep revives it.
    await host.restart(banned);
    expect(await requestOf(banned)).not.toBeNull();
    factory.latest(banned).closeWith(403, 'Forbidden');
    await eventually(async () => expect(await requestOf(banned)).toBeNull());
    expect((await host.status(banned))?.stopReason).toBe('forbidden');
    await host.sweepRequests();
    expect(factory.sockets.filter((socket) => socket.instanceId === banned)).toHaveLength(1);
    expect(factory.live(banned)).toHaveLength(0);

    // A new request after that is honoured again.
    await database.prisma.instance.update({ where: { id: banned }, data: { sessionRequestedAt: new Date(Date.now() + 1_000) } });
    await eventually(() => expect(factory.live(banned)).toHaveLength(1));
    await host.stop();
  }, 120_000);

  it('forgets the session of a deleted instance (stopped, lease given back), so its entries stay bounded', async () => {
    const kept = await instanceOn(41, { paired: true });
    const deleted = await instanceOn(42, { paired: true });
    const factory = whatsApp();
    const host = hostFor(factory, { slots: [41, 42], startStaggerMs: 0, requestSweepMs: 60_000 });
    await host.start();
    await eventually(() => expect([factory.live(kept).length, factory.live(deleted).length]).toEqual([1, 1]));
    expect(host.size).toBe(2);

    await database.prisma.instance.delete({ where: { id: deleted } });
    await host.sweepRequests();
    expect(factory.live(deleted)).toHaveLength(0);
    expect(factory.live(kept)).toHaveLength(1);
    expect(host.size).toBe(1);
    await host.stop();
  }, 120_000);
});
