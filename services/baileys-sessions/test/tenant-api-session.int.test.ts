import { randomBytes } from 'node:crypto';
import { SecretBox } from '@app/db';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';

// Generous: the machine is shared and loaded; the conditions themselves settle in milliseconds when idle.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The tenant API's own test harness: this suite checks the two services wired together through the SessionControl port.
import { createAccessTokenIssuer } from '../../tenant-api/src/auth/access-tokens.ts';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from '../../tenant-api/test/tenant-api-harness.ts';
import { createPostgresAuthStateStore } from '../src/auth-state/postgres-auth-state-store.ts';
import { createSessionLeaseRepository } from '../src/lease/session-lease.repository.ts';
import { SessionHost } from '../src/session/session-host.ts';
import { FakeSocketFactory } from './support/fake-socket.ts';

const logger = createLogger({ service: 'baileys-api-test', level: 'silent' });

describe('tenant API → SessionControl (SessionHost with the fake socket)', () => {
  let harness: TenantApiHarness;
  let owner: SignedInTenant;
  let other: SignedInTenant;
  let host: SessionHost;
  const factory = new FakeSocketFactory();

  beforeAll(async () => {
    let hostReference: SessionHost | undefined;
    const control = {
      status: (id: string) => hostReference!.status(id),
      restart: (id: string) => hostReference!.restart(id),
      requestPairingCode: (id: string, phone: string) => hostReference!.requestPairingCode(id, phone),
      logout: (id: string) => hostReference!.logout(id),
    };
    harness = await startTenantApiHarness({}, { sessions: control });
    host = hostReference = new SessionHost({
      prisma: harness.database.prisma,
      hostId: 'api-test',
      socketFactory: factory,
      authStore: createPostgresAuthStateStore(harness.database.prisma),
      secretBox: new SecretBox({ currentKeyId: 'k', keys: { k: randomBytes(32) } }),
      leases: createSessionLeaseRepository(harness.database.prisma),
      logger,
    });
    [owner, other] = await Promise.all([signUp(harness), signUp(harness)]);
  });
  afterAll(async () => {
    await host?.stop();
    await harness?.close();
  });

  it('creates a BAILEYS instance on a free slot, shows its QR, pairs by code, logs out and restarts', async () => {
    const created = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'BAILEYS', name: 'Loja' })
      .expect(201);
    expect(created.body).toMatchObject({ provider: 'BAILEYS', slot: 0, hasAccessToken: false });
    const second = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'BAILEYS', name: 'Loja 2' })
      .expect(201);
    expect(second.body.slot).toBe(1);
    const id = created.body.id as string;
    const session = `/api/instances/${id}/session`;

    // The session started on creation; WhatsApp answers with a QR code.
    await eventually(() => expect(factory.live(id)).toHaveLength(1));
    factory.latest(id).showQr('2@api-qr');
    const waiting = await request(harness.app).get(session).set('authorization', owner.bearer).expect(200);
    expect(waiting.body).toMatchObject({ instanceId: id, state: 'waiting-for-scan', qr: '2@api-qr', registered: false });

    const badPhone = await request(harness.app)
      .post(`${session}/pairing-code`)
      .set('authorization', owner.bearer)
      .send({ phoneNumber: 'call me' })
      .expect(400);
    expectError(badPhone.body, 'VALIDATION_FAILED');
    const coded = await request(harness.app)
      .post(`${session}/pairing-code`)
      .set('authorization', owner.bearer)
      .send({ phoneNumber: '+55 11 98888-0000' })
      .expect(200);
    expect(coded.body.pairingCode).toBe('ABCD1234');
    expect(factory.latest(id).pairingRequests).toEqual(['5511988880000']);

    // Tenants never see each other's sessions; other providers have none.
    expectError((await request(harness.app).get(session).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    const sandbox = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'SANDBOX', name: 'Test' })
      .expect(201);
    expect(sandbox.body.slot).toBeNull();
    expectError(
      (await request(harness.app).get(`/api/instances/${sandbox.body.id}/session`).set('authorization', owner.bearer).expect(409)).body,
      'CONFLICT',
    );

    factory.latest(id).completePairing();
    await eventually(() => expect(factory.live(id)).toHaveLength(1));
    factory.latest(id).open();
    expect((await request(harness.app).get(session).set('authorization', owner.bearer).expect(200)).body).toMatchObject({
      state: 'open',
      registered: true,
    });
    // Pairing an already linked number is a conflict, not a silent re-pair.
    expectError(
      (
        await request(harness.app)
          .post(`${session}/pairing-code`)
          .set('authorization', owner.bearer)
          .send({ phoneNumber: '+5511988880000' })
          .expect(409)
      ).body,
      'CONFLICT',
    );

    const loggedOut = await request(harness.app).post(`${session}/logout`).set('authorization', owner.bearer).expect(200);
    expect(loggedOut.body).toMatchObject({ state: 'logged-out', registered: false });
    expect(await harness.database.prisma.baileysAuthKey.count({ where: { instanceId: id } })).toBe(0);

    const restarted = await request(harness.app).post(`${session}/restart`).set('authorization', owner.bearer).expect(200);
    expect(restarted.body.state).toBe('connecting');
    expect(factory.live(id)).toHaveLength(1);
    expect(factory.latest(id).auth.creds.registered).toBe(false);

    // A deleted instance frees its slot for the next one.
    await request(harness.app).delete(`/api/instances/${id}`).set('authorization', owner.bearer).expect(204);
    const reused = await request(harness.app)
      .post('/api/instances')
      .set('authorization', other.bearer)
      .send({ provider: 'BAILEYS', name: 'Outra' })
      .expect(201);
    expect(reused.body.slot).toBe(0);
  }, 120_000);

  it('answers restart-pod with 409 NOT_SUPPORTED in-process (no pod), 404 to another tenant and 403 to an agent, touching no session', async () => {
    const created = await request(harness.app)
      .post('/api/instances')
      .set('authorization', owner.bearer)
      .send({ provider: 'BAILEYS', name: 'Sem pod' })
      .expect(201);
    const id = created.body.id as string;
    await eventually(() => expect(factory.live(id)).toHaveLength(1));
    const socket = factory.latest(id);
    const restartPod = `/api/instances/${id}/session/restart-pod`;

    const refused = expectError((await request(harness.app).post(restartPod).set('authorization', owner.bearer).expect(409)).body, 'CONFLICT');
    expect(refused.details).toEqual({ reason: 'NOT_SUPPORTED' });
    expect(refused.message).toMatch(/in-process/);
    expectError((await request(harness.app).post(restartPod).set('authorization', other.bearer).expect(404)).body, 'NOT_FOUND');
    const agentToken = createAccessTokenIssuer({ secret: harness.config.JWT_SECRET!, ttlSeconds: 300, now: () => harness.clock.now() }).issue({
      businessId: owner.businessId,
      userId: owner.userId,
      role: 'AGENT',
    }).accessToken;
    expectError((await request(harness.app).post(restartPod).set('authorization', `Bearer ${agentToken}`).expect(403)).body, 'FORBIDDEN');

    // The session kept its one socket.
    expect(factory.live(id)).toEqual([socket]);
  }, 60_000);
});
