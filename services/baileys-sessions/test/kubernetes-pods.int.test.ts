import { randomBytes } from 'node:crypto';
import { enqueueEvent, SecretBox } from '@app/db';
import { sessionControlPaths, Topics } from '@app/domain';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger } from '@app/runtime/service';
import { expectEventually } from '@app/testkit';
import { startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import { startKubernetesApiDouble, type KubernetesApiDouble } from '@app/testkit/kubernetes';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthenticationState } from '../src/auth-state/authentication-state.ts';
import { createPostgresAuthStateStore } from '../src/auth-state/postgres-auth-state-store.ts';
import { loadBaileysSessionsKubernetesConfig } from '../src/config.ts';
import { startBaileysSessionsService, type BaileysSessionsService } from '../src/kubernetes/start-baileys-sessions-service.ts';
import { baileysSlotTopic } from '../src/routing/slot-topic.ts';
import { FakeSocketFactory, pairedCreds } from './support/fake-socket.ts';
import { requestSendIn } from './outbound-fixtures.ts';
import { bridgeSidecars } from './sidecar-bridge.ts';

// Generous: the machine is shared and loaded; the conditions themselves settle in well under a second when idle.
const eventually = (check: () => unknown) => expectEventually(check, { timeoutMs: 40_000 });
const logger = createLogger({ service: 'baileys-pods-test', level: (process.env['TEST_LOG_LEVEL'] as 'silent' | undefined) ?? 'silent' });
const credentialsKey = randomBytes(32).toString('base64');
const secretBox = SecretBox.fromCredentialsKey(credentialsKey);
const appToken = 'baileys-app-token';
const namespace = 'wa';

let database: TestDatabase;
let kubernetesApi: KubernetesApiDouble;
const sidecars: DaprSidecarDouble[] = [];
const factories: FakeSocketFactory[] = [];
const pods: (BaileysSessionsService | null)[] = [null, null];
let bridge: { stop(): void };
let socketsCreated = 0;

async function startPod(ordinal: number): Promise<BaileysSessionsService> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'double', server: kubernetesApi.url, skipTLSVerify: true }],
    users: [{ name: 'pod', token: 'sa-token' }],
    contexts: [{ name: 'double', cluster: 'double', user: 'pod', namespace }],
    currentContext: 'double',
  });
  const config = loadBaileysSessionsKubernetesConfig({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    PORT: '0',
    HOST: '127.0.0.1',
    DAPR_HTTP_URL: sidecars[ordinal]!.url,
    APP_API_TOKEN: appToken,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_SECONDS: '2',
    CREDENTIALS_KEY: credentialsKey,
    // Pod 0 learns its ordinal from the pod-index label, pod 1 from its name.
    ...(ordinal === 0 ? { POD_INDEX: '0', POD_NAME: 'baileys-sessions-0' } : { POD_NAME: 'baileys-sessions-1' }),
    POD_NAMESPACE: namespace,
    BAILEYS_AUTH_STORE: 'postgres',
    BAILEYS_START_STAGGER_MS: '0',
    BAILEYS_MIN_GAP_PER_RECIPIENT_MS: '0',
    BAILEYS_TYPING: 'false',
    BAILEYS_CONTROLLER: ordinal === 0 ? 'true' : 'false',
    BAILEYS_CONTROLLER_INTERVAL_SECONDS: '1',
  });
  const pod = await startBaileysSessionsService({
    config,
    logger,
    socketFactory: factories[ordinal]!,
    kubeConfig,
    relay: { pollIntervalMs: 50 },
  });
  await sidecars[ordinal]!.connectApp(pod.url);
  pods[ordinal] = pod;
  return pod;
}

async function stopPod(ordinal: number) {
  sidecars[ordinal]!.disconnectApp();
  await pods[ordinal]?.stop();
  pods[ordinal] = null;
}

/** A call of the session control contract to the pod of `ordinal`, as tenant-api makes it (with the app token). */
async function control(ordinal: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${pods[ordinal]!.url}${path}`, {
    method,
    headers: { 'dapr-api-token': appToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function pairedInstance(slot: number) {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: `web ${slot}`, slot } });
  const auth = await loadAuthenticationState({ store: createPostgresAuthStateStore(database.prisma), instanceId: instance.id, secretBox });
  Object.assign(auth.state.creds, pairedCreds(`55119000000${slot}:1@s.whatsapp.net`));
  await auth.saveCreds();
  const contact = await database.prisma.contact.create({ data: { businessId: business.id, phone: `551198888000${slot}` } });
  const conversation = await database.prisma.conversation.create({
    data: { businessId: business.id, instanceId: instance.id, contactId: contact.id, lastInboundAt: new Date() },
  });
  return { business, instance, contact, conversation };
}

/** What conversation-actors does: the message row and its send request in one transaction. */
function requestSend(target: Awaited<ReturnType<typeof pairedInstance>>, text: string): Promise<string> {
  return database.prisma.$transaction((transaction) => requestSendIn(transaction, target, text));
}

const statusOf = async (messageId: string) => (await database.prisma.message.findUnique({ where: { id: messageId } }))?.status;

beforeAll(async () => {
  database = await createTestDatabase();
  kubernetesApi = await startKubernetesApiDouble({ statefulSets: [{ namespace, name: 'baileys-sessions', replicas: 1 }] });
  for (let ordinal = 0; ordinal < 2; ordinal++) {
    sidecars.push(
      await startDaprSidecarDouble({ appId: 'baileys-sessions', appApiToken: appToken, pubsubRetry: { intervalMs: 200, maxRetries: 200 } }),
    );
    // WhatsApp accepts every paired session and shows a QR code to an unpaired one (a macrotask later: after the
    // session listens to its socket).
    factories.push(
      new FakeSocketFactory({
        onCreate: (socket) => {
          // WhatsApp's message ids are unique per number; the fake counts per socket, so a reconnect would repeat them.
          (socket as unknown as { nextId: number }).nextId = ++socketsCreated * 1_000;
          setTimeout(() => (socket.auth.creds.account ? socket.open() : socket.showQr(`2@qr-of-${socket.instanceId}`)), 5);
        },
      }),
    );
  }
  bridge = bridgeSidecars(sidecars);
}, 60_000);

afterAll(async () => {
  bridge?.stop();
  for (let ordinal = 0; ordinal < 2; ordinal++) await stopPod(ordinal).catch(() => undefined);
  for (const sidecar of sidecars) await sidecar.stop();
  await kubernetesApi?.stop();
  await database?.drop();
}, 60_000);

describe('baileys-sessions on Kubernetes: two pods (ordinals 0 and 1), Dapr sidecar doubles, real PostgreSQL', () => {
  let first: Awaited<ReturnType<typeof pairedInstance>>;
  let second: Awaited<ReturnType<typeof pairedInstance>>;

  it('each pod runs only the session of its slot, and the controller scales the StatefulSet to the slots in use', { timeout: 120_000 }, async () => {
    first = await pairedInstance(0);
    second = await pairedInstance(1);
    await startPod(0);
    await startPod(1);
    expect(pods[0]!.slot).toBe(0);
    expect(pods[1]!.slot).toBe(1);
    await eventually(async () => {
      expect(factories[0]!.live(first.instance.id)).toHaveLength(1);
      expect(factories[1]!.live(second.instance.id)).toHaveLength(1);
      expect((await pods[0]!.sessions.host.status(first.instance.id))?.state).toBe('open');
      expect((await pods[1]!.sessions.host.status(second.instance.id))?.state).toBe('open');
    });
    expect(factories[0]!.sockets.every((socket) => socket.instanceId === first.instance.id)).toBe(true);
    expect(factories[1]!.sockets.every((socket) => socket.instanceId === second.instance.id)).toBe(true);
    // Only the owning pod lists its slot topic in /dapr/subscribe; both take messages.outbound (to route).
    expect(
      sidecars[0]!.subscriptions
        .map((entry) => entry.topic)
        .filter((topic) => !topic.endsWith('.dead-letter'))
        .sort(),
    ).toEqual([Topics.messagesOutbound, baileysSlotTopic(0)]);
    expect(
      sidecars[1]!.subscriptions
        .map((entry) => entry.topic)
        .filter((topic) => !topic.endsWith('.dead-letter'))
        .sort(),
    ).toEqual([Topics.messagesOutbound, baileysSlotTopic(1)]);
    await eventually(() => expect(kubernetesApi.statefulSet(namespace, 'baileys-sessions')!.spec.replicas).toBe(2));
  });

  it('a send reaches the socket of the pod that owns the session, whichever pod took it off messages.outbound', { timeout: 120_000 }, async () => {
    const toSecond = await requestSend(second, 'para o pod 1');
    const toFirst = await requestSend(first, 'para o pod 0');
    await eventually(async () => {
      expect(await statusOf(toSecond)).toBe('SENT');
      expect(await statusOf(toFirst)).toBe('SENT');
    });
    const sentBy = (ordinal: number) =>
      factories[ordinal]!.sockets.flatMap((socket) => socket.sent.map((sent) => (sent.content as { text?: string }).text));
    expect(sentBy(0)).toEqual(['para o pod 0']);
    expect(sentBy(1)).toEqual(['para o pod 1']);
    const forwarded = await database.prisma.outboxEvent.findMany({
      where: { topic: { startsWith: `${Topics.messagesOutbound}.baileys.` } },
      select: { topic: true },
    });
    expect(forwarded.map((event) => event.topic).sort()).toEqual([baileysSlotTopic(0), baileysSlotTopic(1)]);
  });

  it('a send for a pod that is down waits and goes out once when the pod is back', { timeout: 120_000 }, async () => {
    await stopPod(1);
    const messageId = await requestSend(second, 'depois do reinício');
    // Routed by pod 0 and held by the broker for slot 1 (nobody else may send it).
    await eventually(async () => expect(await database.prisma.outboxEvent.count({ where: { topic: baileysSlotTopic(1) } })).toBe(2));
    expect(await statusOf(messageId)).toBe('PENDING');
    const sentBefore = factories[1]!.sockets.flatMap((socket) => socket.sent).length;
    await startPod(1);
    await eventually(async () => expect(await statusOf(messageId)).toBe('SENT'));
    const sent = factories[1]!.sockets.flatMap((socket) => socket.sent);
    expect(sent.length - sentBefore).toBe(1);
    expect(factories[0]!.sockets.flatMap((socket) => socket.sent)).toHaveLength(1);
  });

  it('a redelivered send request (same event again) is not sent twice', { timeout: 120_000 }, async () => {
    const messageId = await requestSend(first, 'uma vez só');
    await eventually(async () => expect(await statusOf(messageId)).toBe('SENT'));
    const event = await database.prisma.outboxEvent.findFirstOrThrow({ where: { topic: baileysSlotTopic(0) }, orderBy: { id: 'desc' } });
    await database.prisma.$transaction((transaction) =>
      enqueueEvent(transaction, Topics.messagesOutbound, event.payload as never, { key: first.conversation.id }),
    );
    await eventually(async () => expect(await database.prisma.outboxEvent.count({ where: { topic: baileysSlotTopic(0) } })).toBe(3));
    await eventually(() =>
      expect(
        sidecars[0]!.deliveries.filter((delivery) => delivery.topic === baileysSlotTopic(0) && delivery.outcome === 'SUCCESS').length,
      ).toBeGreaterThanOrEqual(3),
    );
    expect(
      factories[0]!.sockets.flatMap((socket) => socket.sent).filter((sent) => (sent.content as { text?: string }).text === 'uma vez só'),
    ).toHaveLength(1);
  });

  it('session control reaches the owning pod by its address; another pod refuses a session it does not run', { timeout: 120_000 }, async () => {
    expect(await control(0, 'GET', sessionControlPaths.status(first.instance.id))).toMatchObject({
      status: 200,
      body: { instanceId: first.instance.id, state: 'open' },
    });
    expect(await control(1, 'GET', sessionControlPaths.status(second.instance.id))).toMatchObject({
      status: 200,
      body: { instanceId: second.instance.id, state: 'open' },
    });
    // Pod 0 asked about slot 1's session: not here.
    expect(await control(0, 'GET', sessionControlPaths.status(second.instance.id))).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', details: { reason: 'SESSION_NOT_FOUND' } } },
    });
    // Without the token: refused. A bad id: 400.
    expect((await fetch(`${pods[1]!.url}${sessionControlPaths.status(second.instance.id)}`)).status).toBe(401);
    expect((await control(1, 'GET', sessionControlPaths.status('not-a-uuid'))).status).toBe(400);
    // A pairing code on an open session: the pod's SessionError comes back with its reason.
    expect(await control(1, 'POST', sessionControlPaths.pairingCode(second.instance.id), { phoneNumber: '+55 11 98888-0001' })).toMatchObject({
      status: 409,
      body: { error: { details: { reason: 'SESSION_ALREADY_PAIRED' } } },
    });

    expect(await control(1, 'POST', sessionControlPaths.logout(second.instance.id))).toMatchObject({ status: 200, body: { state: 'logged-out' } });
    await eventually(() => expect(factories[1]!.live(second.instance.id)).toHaveLength(0));
    expect(factories[0]!.live(first.instance.id)).toHaveLength(1);
  });

  it('an admin restart deletes the pod of the slot; freeing the top slot scales it away after its lease is gone', { timeout: 120_000 }, async () => {
    const response = await fetch(`${pods[0]!.url}/internal/instances/${first.instance.id}/restart-pod`, {
      method: 'POST',
      headers: { 'dapr-api-token': appToken },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ pod: 'baileys-sessions-0', deleted: true });
    expect(kubernetesApi.pods(namespace).find((pod) => pod.name === 'baileys-sessions-0')?.restarts).toBe(1);

    await database.prisma.instance.delete({ where: { id: second.instance.id } });
    const outcome = await pods[0]!.controller!.reconcile();
    expect(outcome).toMatchObject({ action: 'held', reason: 'scale-down-delay', desired: 1 });
    expect(kubernetesApi.statefulSet(namespace, 'baileys-sessions')!.spec.replicas).toBe(2);
  });

  it(
    'a start requested before the slot’s pod exists is kept: the pod starts the unpaired session when it comes up, with a QR',
    { timeout: 120_000 },
    async () => {
      // A new, never paired instance on slot 1, whose pod is not running.
      await stopPod(1);
      const business = await database.prisma.business.create({ data: { name: 'nova' } });
      const fresh = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'nova', slot: 1 } });
      // tenant-api records the start while the pod is down (its remote session control answers `pending`).
      await database.prisma.instance.update({ where: { id: fresh.id }, data: { sessionRequestedAt: new Date() } });
      expect(factories[1]!.sockets.filter((socket) => socket.instanceId === fresh.id)).toHaveLength(0);

      // The pod comes up and starts the requested session: WhatsApp shows a QR code.
      await startPod(1);
      await eventually(async () =>
        expect((await control(1, 'GET', sessionControlPaths.status(fresh.id))).body).toMatchObject({
          state: 'waiting-for-scan',
          qr: `2@qr-of-${fresh.id}`,
        }),
      );
      expect(factories[1]!.live(fresh.id)).toHaveLength(1);
      expect(factories[0]!.sockets.some((socket) => socket.instanceId === fresh.id)).toBe(false);
    },
  );
});
