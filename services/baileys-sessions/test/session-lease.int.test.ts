import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';

// Generous: the machine is shared and loaded; the conditions themselves settle in milliseconds when idle.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthenticationState } from '../src/auth-state/authentication-state.ts';
import { createPostgresAuthStateStore } from '../src/auth-state/postgres-auth-state-store.ts';
import { createSessionLeaseRepository } from '../src/lease/session-lease.repository.ts';
import { SessionHost } from '../src/session/session-host.ts';
import { FakeSocketFactory, pairedCreds } from './support/fake-socket.ts';

const logger = createLogger({ service: 'baileys-lease-test', level: 'silent' });
const secretBox = new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function pairedInstance(slot: number): Promise<string> {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'web', slot } });
  const auth = await loadAuthenticationState({ store: createPostgresAuthStateStore(database.prisma), instanceId: instance.id, secretBox });
  Object.assign(auth.state.creds, pairedCreds(`55119000000${slot}:1@s.whatsapp.net`));
  await auth.saveCreds();
  return instance.id;
}

function twoHosts() {
  const factories: Record<string, FakeSocketFactory> = {};
  const violations: string[] = [];
  const hosts: Record<string, SessionHost> = {};
  for (const name of ['a', 'b']) {
    factories[name] = new FakeSocketFactory({
      onCreate: (socket) => {
        // The invariant: when a host creates a socket, no other host has a live one for the same instance.
        for (const [other, factory] of Object.entries(factories)) {
          if (other !== name && factory.live(socket.instanceId).length > 0) violations.push(`${name} connected while ${other} was connected`);
        }
        socket.open();
      },
    });
    hosts[name] = new SessionHost({
      prisma: database.prisma,
      hostId: `host-${name}`,
      socketFactory: factories[name]!,
      authStore: createPostgresAuthStateStore(database.prisma),
      secretBox,
      leases: createSessionLeaseRepository(database.prisma),
      logger,
      config: { leaseTtlMs: 1_500, leaseRenewMs: 300, leaseSafetyMs: 300, leaseRetryMs: 200, startStaggerMs: 0 },
    });
  }
  const liveHolders = (instanceId: string) =>
    Object.entries(factories)
      .filter(([, factory]) => factory.live(instanceId).length > 0)
      .map(([name]) => name);
  return { factories, hosts, violations, liveHolders };
}

describe('session leases: two hosts competing for one slot', () => {
  it('never both connect: at start, when the lease is lost, and when the holder stops', async () => {
    const instanceId = await pairedInstance(7);
    const { hosts, violations, liveHolders, factories } = twoHosts();
    await Promise.all([hosts['a']!.start(), hosts['b']!.start()]);
    await eventually(() => expect(liveHolders(instanceId)).toHaveLength(1));
    // Both keep trying for a while (retries every 200 ms): still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(liveHolders(instanceId)).toHaveLength(1);
    const first = liveHolders(instanceId)[0]!;
    const second = first === 'a' ? 'b' : 'a';
    expect(factories[second]!.sockets).toHaveLength(0);

    // Someone else takes the lease (an operator, a partition): the holder drops its socket at its next renewal.
    await database.prisma
      .$executeRaw`UPDATE baileys_session_lease SET holder = 'intruder', token = token + 1, "expiresAt" = now() + interval '1 second' WHERE "instanceId" = ${instanceId}::uuid`;
    await eventually(() => expect(liveHolders(instanceId)).toHaveLength(0));
    expect((await hosts[first]!.status(instanceId))?.stopReason).toBe('lease-lost');
    // Once the intruder's lease runs out, one of the two hosts takes over (and only one).
    await eventually(() => expect(liveHolders(instanceId)).toHaveLength(1));
    const holder = liveHolders(instanceId)[0]!;
    const other = holder === 'a' ? 'b' : 'a';

    // A clean stop releases the lease: the other host connects without waiting for expiry.
    await hosts[holder]!.stop();
    await eventually(() => expect(liveHolders(instanceId)).toEqual([other]));
    await hosts[other]!.stop();
    expect(violations).toEqual([]);
  }, 120_000);

  it('restart resumes many paired sessions staggered, not all at once', async () => {
    const instances = await Promise.all([11, 12, 13, 14].map((slot) => pairedInstance(slot)));
    const created: number[] = [];
    const factory = new FakeSocketFactory({ onCreate: (socket) => instances.includes(socket.instanceId) && created.push(Date.now()) });
    const host = new SessionHost({
      prisma: database.prisma,
      hostId: 'host-stagger',
      socketFactory: factory,
      authStore: createPostgresAuthStateStore(database.prisma),
      secretBox,
      leases: createSessionLeaseRepository(database.prisma),
      logger,
      random: () => 0,
      config: { startStaggerMs: 150, slots: [11, 12, 13, 14] },
    });
    const startedAt = Date.now();
    await host.start();
    await eventually(() => expect(created).toHaveLength(4));
    // Timers never fire early: the n-th session cannot start before n × 150 ms.
    created.sort((a, b) => a - b).forEach((time, index) => expect(time - startedAt).toBeGreaterThanOrEqual(index * 150 - 5));
    await host.stop();
  }, 120_000);
});
