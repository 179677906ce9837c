import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger } from '@app/runtime/service';
import { startKubernetesApiDouble, type KubernetesApiDouble } from '@app/testkit/kubernetes';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInstanceController, type InstanceController, type InstanceControllerOptions } from './instance-controller.ts';

const logger = createLogger({ service: 'baileys-controller-test', level: 'silent' });
const namespace = 'wa';
const name = 'baileys-sessions';
const token = 'controller-test-token';
let database: TestDatabase;
let api: KubernetesApiDouble;
let clock: number;
let controller: InstanceController;

/** The unmodified client, with only the server URL changed. */
function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'double', server, skipTLSVerify: true }],
    users: [{ name: 'controller', token }],
    contexts: [{ name: 'double', cluster: 'double', user: 'controller', namespace }],
    currentContext: 'double',
  });
  return kubeConfig;
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
function controllerWith(options: Partial<InstanceControllerOptions> = {}): InstanceController {
  return createInstanceController({
    prisma: database.prisma,
    kubeConfig: kubeConfigFor(api.url),
    namespace,
    statefulSetName: name,
    logger,
    scaleDownDelayMs: 30_000,
    now: () => new Date(clock),
    ...options,
  });
}

beforeEach(async () => {
  await database.prisma.instance.deleteMany({});
  api = await startKubernetesApiDouble({ token, statefulSets: [{ namespace, name, replicas: 1 }] });
  clock = Date.parse('2026-01-01T00:00:00Z');
  controller = controllerWith();
});
afterEach(async () => {
  await controller.stop();
  await api.stop();
});

async function instanceAt(slot: number, provider: 'BAILEYS' | 'META' = 'BAILEYS'): Promise<string> {
  const business = await database.prisma.business.create({ data: { name: `b${slot}` } });
  const instance = await database.prisma.instance.create({
    data: { businessId: business.id, provider, name: 'web', slot: provider === 'BAILEYS' ? slot : null },
  });
  return instance.id;
}

async function holdLease(instanceId: string, holder: string, expiresAt: Date): Promise<void> {
  await database.prisma.$executeRaw`
INSERT INTO baileys_session_lease ("instanceId", holder, token, "expiresAt", "updatedAt") VALUES (${instanceId}::uuid, ${holder}, 1, ${expiresAt}, now())`;
}

const replicas = () => api.statefulSet(namespace, name)!.spec.replicas;

describe('instance controller (Kubernetes API double)', () => {
  it('scales the StatefulSet up to max(slot)+1 through the scale subresource with a guarded JSON Patch', async () => {
    await instanceAt(0);
    await instanceAt(2);
    await instanceAt(9, 'META');
    expect(await controller.reconcile()).toEqual({ action: 'scaled', from: 1, to: 3 });
    expect(replicas()).toBe(3);
    expect(api.pods(namespace).map((pod) => pod.name)).toEqual(['baileys-sessions-0', 'baileys-sessions-1', 'baileys-sessions-2']);
    const patch = api.requests.find((request) => request.method === 'PATCH')!;
    expect(patch.path).toBe(`/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}/scale`);
    expect(patch.contentType).toBe('application/json-patch+json');
    expect(patch.authorization).toBe(`Bearer ${token}`);
    expect(patch.body).toEqual([
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]);
    expect(await controller.reconcile()).toEqual({ action: 'none', replicas: 3 });
  });

  it('keeps one pod without instances, and never scales away a slot below the highest one in use', async () => {
    expect(await controller.reconcile()).toEqual({ action: 'none', replicas: 1 });
    const ids = [await instanceAt(0), await instanceAt(1), await instanceAt(2)];
    await controller.reconcile();
    await database.prisma.instance.delete({ where: { id: ids[1]! } }); // a hole: slot 2 is still live
    clock += 120_000;
    expect(await controller.reconcile()).toEqual({ action: 'none', replicas: 3 });
    expect(replicas()).toBe(3);
  });

  it('scales down only after the freed top pod holds no lease and the delay passed', async () => {
    const [, , top] = [await instanceAt(0), await instanceAt(1), await instanceAt(2)];
    await controller.reconcile();
    // Slot 2's instance is gone, but its pod still holds a lease (of another instance it served a moment ago).
    const other = await instanceAt(100);
    await holdLease(other, 'baileys-sessions-2-abc123', new Date(clock + 30_000));
    await database.prisma.instance.deleteMany({ where: { id: { in: [top!] } } });
    await database.prisma.instance.update({ where: { id: other }, data: { slot: null } });
    expect(await controller.reconcile()).toEqual({ action: 'held', replicas: 3, desired: 2, reason: 'live-session' });
    // A lease of pod 20 is not pod 2's.
    clock += 31_000;
    await holdLease(await instanceAt(50), 'baileys-sessions-20-zzz', new Date(clock + 30_000));
    await database.prisma.instance.updateMany({ where: { slot: 50 }, data: { slot: null } });
    expect(await controller.reconcile()).toEqual({ action: 'held', replicas: 3, desired: 2, reason: 'scale-down-delay' });
    clock += 10_000;
    expect(await controller.reconcile()).toEqual({ action: 'held', replicas: 3, desired: 2, reason: 'scale-down-delay' });
    expect(replicas()).toBe(3);
    clock += 25_000;
    expect(await controller.reconcile()).toEqual({ action: 'scaled', from: 3, to: 2 });
    expect(api.pods(namespace).map((pod) => pod.name)).toEqual(['baileys-sessions-0', 'baileys-sessions-1']);
  });

  it('a new instance during the delay cancels the scale-down', async () => {
    const ids = [await instanceAt(0), await instanceAt(1)];
    await controller.reconcile();
    await database.prisma.instance.delete({ where: { id: ids[1]! } });
    expect((await controller.reconcile()).action).toBe('held');
    await instanceAt(1);
    clock += 60_000;
    expect(await controller.reconcile()).toEqual({ action: 'none', replicas: 2 });
  });

  it('does nothing while another replica holds the controller lock', async () => {
    await instanceAt(3);
    let release!: () => void;
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const leader = database.prisma.$transaction(
      async (transaction) => {
        await transaction.$executeRaw`SELECT pg_advisory_xact_lock(874201407)`;
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      },
      { timeout: 60_000 },
    );
    await holding;
    expect(await controller.reconcile()).toEqual({ action: 'skipped', reason: 'not-leader' });
    expect(replicas()).toBe(1);
    release();
    await leader;
    expect(await controller.reconcile()).toEqual({ action: 'scaled', from: 1, to: 4 });
  });

  it('a replica count changed by someone else in between makes the patch fail instead of overwriting it', async () => {
    await instanceAt(1);
    // The double answers the read, then a person scales before the patch lands: emulate with a stale read.
    const kubeConfig = kubeConfigFor(api.url);
    const { AppsV1Api } = await import('@kubernetes/client-node');
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    api.setReplicas(namespace, name, 5);
    await expect(
      apps.patchNamespacedStatefulSetScale({
        name,
        namespace,
        body: [
          { op: 'test', path: '/spec/replicas', value: 1 },
          { op: 'replace', path: '/spec/replicas', value: 2 },
        ],
      }),
    ).rejects.toMatchObject({ code: 422 });
    expect(replicas()).toBe(5);
  });

  it('restarts the pod of an instance on request', async () => {
    await instanceAt(0);
    const second = await instanceAt(1);
    await controller.reconcile();
    expect(await controller.restartSessionPod(second)).toEqual({ pod: 'baileys-sessions-1', deleted: true });
    const deletion = api.requests.find((request) => request.method === 'DELETE')!;
    expect(deletion.path).toBe(`/api/v1/namespaces/${namespace}/pods/baileys-sessions-1`);
    expect(api.pods(namespace).map((pod) => [pod.name, pod.restarts])).toEqual([
      ['baileys-sessions-0', 0],
      ['baileys-sessions-1', 1],
    ]);
    expect(await controller.restartSessionPod('00000000-0000-4000-8000-000000000000')).toBeNull();
    // Slot 7's pod does not exist (not scaled yet): nothing to delete.
    expect(await controller.restartSessionPod(await instanceAt(7))).toEqual({ pod: 'baileys-sessions-7', deleted: false });
  });

  it('never scales above the cap on sessions, whatever the database holds, and marks the instances it cannot place', async () => {
    const capped = controllerWith({ maxReplicas: 3 });
    const placed = [await instanceAt(0), await instanceAt(1)];
    const beyond = await instanceAt(7); // written past tenant-api, or left over from a higher cap
    expect(await capped.reconcile()).toEqual({ action: 'scaled', from: 1, to: 3, overCapacity: 1 });
    expect(replicas()).toBe(3);
    expect(api.pods(namespace).map((pod) => pod.name)).toEqual(['baileys-sessions-0', 'baileys-sessions-1', 'baileys-sessions-2']);
    const since = new Date(clock);
    const marks = async () =>
      Object.fromEntries(
        (await database.prisma.instance.findMany({ select: { id: true, overCapacitySince: true } })).map((row) => [row.id, row.overCapacitySince]),
      );
    expect(await marks()).toEqual({ [placed[0]!]: null, [placed[1]!]: null, [beyond]: since });
    clock += 60_000;
    expect(await capped.reconcile()).toEqual({ action: 'none', replicas: 3, overCapacity: 1 });
    expect((await marks())[beyond]).toEqual(since); // since when, not last seen
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);

    // The cap rises: the pod comes, the mark goes.
    expect(await controllerWith({ maxReplicas: 10 }).reconcile()).toEqual({ action: 'scaled', from: 3, to: 8 });
    expect((await marks())[beyond]).toBeNull();
  });

  it('brings a StatefulSet above the cap down to it at once, live sessions or not', async () => {
    const ids = [await instanceAt(0), await instanceAt(1), await instanceAt(2), await instanceAt(3)];
    await controller.reconcile();
    expect(replicas()).toBe(4);
    await holdLease(ids[3]!, 'baileys-sessions-3-abc', new Date(clock + 30_000));
    expect(await controllerWith({ maxReplicas: 2 }).reconcile()).toEqual({ action: 'scaled', from: 4, to: 2, overCapacity: 2 });
    expect(api.pods(namespace).map((pod) => pod.name)).toEqual(['baileys-sessions-0', 'baileys-sessions-1']);
    // A cap of 0 (no WhatsApp Web on this platform) wins over the minimum of one pod.
    expect(await controllerWith({ maxReplicas: 0 }).reconcile()).toEqual({ action: 'scaled', from: 2, to: 0, overCapacity: 4 });
  });
});
