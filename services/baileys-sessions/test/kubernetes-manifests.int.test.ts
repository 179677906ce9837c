import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import { createLogger, kubernetesSettingsSchema } from '@app/runtime/service';
import { startKubernetesApiDouble, type KubernetesApiDouble } from '@app/testkit/kubernetes';
import {
  KubeConfig,
  loadAllYaml,
  type V1Role,
  type V1RoleBinding,
  type V1Service,
  type V1ServiceAccount,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baileysSessionsKubernetesSchema, loadBaileysSessionsKubernetesConfig } from '../src/config.ts';
import { createInstanceController } from '../src/controller/instance-controller.ts';
import { podOrdinal } from '../src/kubernetes/pod-ordinal.ts';

// Plain manifests (no helm or kubectl here): read as the client library reads them, and checked against the code.
const directory = new URL('../../../deploy/kubernetes/baileys-sessions/', import.meta.url).pathname;
// The YAML parser @kubernetes/client-node itself uses, for the raw documents (to catch fields its models drop).
const jsYaml = createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'))('js-yaml') as { loadAll(text: string): unknown[] };
const logger = createLogger({ service: 'baileys-manifests-test', level: 'silent' });

const kustomization = jsYaml.loadAll(readFileSync(`${directory}kustomization.yaml`, 'utf8'))[0] as { namespace: string; resources: string[] };
const files = [...kustomization.resources, 'secret.example.yaml'];
const raw = files.flatMap((file) => jsYaml.loadAll(readFileSync(`${directory}${file}`, 'utf8')) as { kind: string; metadata: { name: string } }[]);
const typed = files.flatMap((file) => loadAllYaml(readFileSync(`${directory}${file}`, 'utf8')) as { kind: string; metadata: { name: string } }[]);
const one = <T>(kind: string, name = 'baileys-sessions') => {
  const found = typed.filter((document) => document.kind === kind && document.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0] as T;
};

const defaults = {
  ...kubernetesSettingsSchema.parse({ DATABASE_URL: 'postgresql://localhost/x', APP_API_TOKEN: 'a-token-for-the-defaults' }),
  ...baileysSessionsKubernetesSchema.parse({}),
};
const statefulSet = one<V1StatefulSet>('StatefulSet');
const pod = statefulSet.spec!.template;
const container = pod.spec!.containers.find((candidate) => candidate.name === 'baileys-sessions')!;
const envValue = (name: string) => container.env?.find((entry) => entry.name === name);

describe('deploy/kubernetes/baileys-sessions', () => {
  it('is valid for the client library: every field of every document is one its models know (nothing dropped)', () => {
    expect(typed.map((document) => `${document.kind}/${document.metadata.name}`).sort()).toEqual([
      'Role/baileys-sessions',
      'RoleBinding/baileys-sessions',
      'Secret/baileys-sessions',
      'Service/baileys-sessions',
      'ServiceAccount/baileys-sessions',
      'StatefulSet/baileys-sessions',
    ]);
    expect(JSON.parse(JSON.stringify(typed))).toEqual(raw);
  });

  it('names, labels and ports agree with the code’s defaults: StatefulSet and headless Service, Dapr app id and port, probes', () => {
    const service = one<V1Service>('Service');
    // The StatefulSet and its headless Service are what the controller patches and the remote control addresses.
    expect(statefulSet.metadata!.name).toBe(defaults.BAILEYS_STATEFULSET_NAME);
    expect(statefulSet.spec!.serviceName).toBe(service.metadata!.name);
    expect(service.spec!.clusterIP).toBe('None');
    expect(service.spec!.selector).toEqual(statefulSet.spec!.selector.matchLabels);
    expect(pod.metadata!.labels).toMatchObject(statefulSet.spec!.selector.matchLabels!);
    expect(statefulSet.spec!.podManagementPolicy).toBe('Parallel');
    // Left to the controller: an apply must not reset the replica count to 1.
    expect(statefulSet.spec!.replicas).toBeUndefined();
    // tenant-api's default pod address template names exactly this service and port.
    const port = Number(envValue('PORT')!.value);
    expect(port).toBe(defaults.PORT);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(service.spec!.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    expect(`http://${statefulSet.metadata!.name}-{slot}.${service.metadata!.name}:${port}`).toBe(
      'http://baileys-sessions-{slot}.baileys-sessions:3000',
    );

    const annotations = pod.metadata!.annotations!;
    expect(annotations).toMatchObject({ 'dapr.io/enabled': 'true', 'dapr.io/app-id': 'baileys-sessions', 'dapr.io/app-port': String(port) });
    expect(container.startupProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'http' });
    // A pod that waits for tenant-api's migrations (up to 10 minutes) is not killed meanwhile.
    expect(container.startupProbe!.periodSeconds! * container.startupProbe!.failureThreshold!).toBeGreaterThanOrEqual(600);
  });

  it('gives the code what it reads: the ordinal and namespace from the downward API, the rest from a Secret, a grace period that covers the stop', () => {
    expect(envValue('POD_INDEX')!.valueFrom!.fieldRef!.fieldPath).toBe("metadata.labels['apps.kubernetes.io/pod-index']");
    expect(envValue('POD_NAME')!.valueFrom!.fieldRef!.fieldPath).toBe('metadata.name');
    expect(envValue('POD_NAMESPACE')!.valueFrom!.fieldRef!.fieldPath).toBe('metadata.namespace');
    // Pod 3 as Kubernetes would start it: the code finds its slot.
    expect(podOrdinal({ podIndex: '3', podName: 'baileys-sessions-3' })).toBe(3);
    expect(podOrdinal({ podIndex: '', podName: `${statefulSet.metadata!.name}-3` })).toBe(3);

    expect(container.envFrom).toEqual([{ secretRef: { name: 'baileys-sessions' } }]);
    const secret = one<{ stringData: Record<string, string> }>('Secret');
    // The container's environment (plain values, downward API, the Secret; Dapr injects the two tokens) is a valid config.
    const environment = {
      ...Object.fromEntries(container.env!.filter((entry) => entry.value !== undefined).map((entry) => [entry.name, entry.value!])),
      ...secret.stringData,
      CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
      POD_INDEX: '0',
      POD_NAME: 'baileys-sessions-0',
      POD_NAMESPACE: kustomization.namespace,
      APP_API_TOKEN: 'from-app-api-token',
      DAPR_API_TOKEN: 'from-dapr-api-token',
    };
    const config = loadBaileysSessionsKubernetesConfig(environment);
    expect(config.kubernetes.PORT).toBe(3000);
    // The replica cap is set where an operator sees it, and leaves room for the minimum pod.
    expect(config.service.BAILEYS_MAX_SESSIONS).toBe(Number(envValue('BAILEYS_MAX_SESSIONS')!.value));
    expect(config.service.BAILEYS_MAX_SESSIONS).toBeGreaterThanOrEqual(config.service.BAILEYS_MIN_REPLICAS);
    expect(pod.metadata!.annotations).toMatchObject({ 'dapr.io/app-token-secret': 'app-api-token', 'dapr.io/api-token-secret': 'dapr-api-token' });
    // Every annotation the other platform pods carry (config, app health check, block-shutdown …), not a subset.
    const platformAnnotations = jsYaml.loadAll(
      readFileSync(new URL('../../../deploy/dapr/pod-annotations.yaml', import.meta.url).pathname, 'utf8'),
    )[0];
    expect(pod.metadata!.annotations).toMatchObject(platformAnnotations as Record<string, string>);

    // The stop (drain, sessions closed, auth state flushed, lease given back, then the HTTP server) fits in the grace
    // period, and the sidecar outlives the app's stop.
    const grace = pod.spec!.terminationGracePeriodSeconds!;
    expect(grace).toBeGreaterThanOrEqual(config.kubernetes.SHUTDOWN_TIMEOUT_SECONDS + 30);
    expect(Number(pod.metadata!.annotations!['dapr.io/graceful-shutdown-seconds'])).toBeGreaterThan(config.kubernetes.SHUTDOWN_TIMEOUT_SECONDS);
    expect(Number(pod.metadata!.annotations!['dapr.io/graceful-shutdown-seconds'])).toBeLessThan(grace);
    expect(pod.spec!.serviceAccountName).toBe(one<V1ServiceAccount>('ServiceAccount').metadata!.name);
  });
});

describe('RBAC of deploy/kubernetes/baileys-sessions against the instance controller’s calls', () => {
  let database: TestDatabase;
  let api: KubernetesApiDouble;
  const namespace = 'default';

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startKubernetesApiDouble({ statefulSets: [{ namespace, name: statefulSet.metadata!.name!, replicas: 1 }] });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('grants every verb on every resource the controller uses, and nothing more', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'double', server: api.url, skipTLSVerify: true }],
      users: [{ name: 'pod', token: 'sa-token' }],
      contexts: [{ name: 'double', cluster: 'double', user: 'pod', namespace }],
      currentContext: 'double',
    });
    const controller = createInstanceController({
      prisma: database.prisma,
      kubeConfig,
      namespace: defaults.POD_NAMESPACE,
      statefulSetName: defaults.BAILEYS_STATEFULSET_NAME,
      logger,
      scaleDownDelayMs: 0,
    });
    // Everything the controller does: scale up, hold, scale down, restart a pod, restart a pod that is gone.
    const business = await database.prisma.business.create({ data: { name: 'rbac' } });
    const instance = await database.prisma.instance.create({ data: { businessId: business.id, provider: 'BAILEYS', name: 'web', slot: 2 } });
    expect(await controller.reconcile()).toMatchObject({ action: 'scaled', from: 1, to: 3 });
    expect(await controller.reconcile()).toMatchObject({ action: 'none' });
    expect(await controller.restartSessionPod(instance.id)).toEqual({ pod: 'baileys-sessions-2', deleted: true });
    await database.prisma.instance.update({ where: { id: instance.id }, data: { slot: 7 } });
    expect(await controller.restartSessionPod(instance.id)).toEqual({ pod: 'baileys-sessions-7', deleted: false });
    await database.prisma.instance.delete({ where: { id: instance.id } });
    expect(await controller.reconcile()).toMatchObject({ action: 'scaled', from: 3, to: 1 });

    const verbs: Record<string, string> = { GET: 'get', PATCH: 'patch', DELETE: 'delete', PUT: 'update', POST: 'create' };
    const used = api.requests.map((request) => {
      const scale = request.path.match(/^\/apis\/(apps)\/v1\/namespaces\/([^/]+)\/(statefulsets)\/([^/]+)(\/scale)?$/);
      const core = request.path.match(/^\/api\/v1\/namespaces\/([^/]+)\/(pods)\/([^/]+)$/);
      const [group, namespaceOf, resource, name] = scale
        ? [scale[1]!, scale[2]!, `${scale[3]}${scale[5] ?? ''}`, scale[4]!]
        : core
          ? ['', core[1]!, core[2]!, core[3]!]
          : ['?', '?', request.path, '?'];
      return { group, namespace: namespaceOf, resource, name, verb: verbs[request.method] ?? request.method };
    });
    expect(new Set(used.map((call) => call.namespace))).toEqual(new Set([namespace]));

    const role = one<V1Role>('Role');
    const binding = one<V1RoleBinding>('RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata!.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: pod.spec!.serviceAccountName, namespace: kustomization.namespace }]);
    const granted = role.rules!.flatMap((rule) =>
      rule.apiGroups!.flatMap((group) =>
        rule.resources!.flatMap((resource) => rule.verbs.map((verb) => ({ key: `${group}|${resource}|${verb}`, names: rule.resourceNames ?? null }))),
      ),
    );
    const usedKeys = new Set(used.map((call) => `${call.group}|${call.resource}|${call.verb}`));
    // Covered: each call is allowed, by name where the rule names its resources.
    for (const call of used) {
      const rule = granted.find((candidate) => candidate.key === `${call.group}|${call.resource}|${call.verb}`);
      expect(rule, `${call.verb} ${call.group}/${call.resource}`).toBeDefined();
      if (rule!.names) expect(rule!.names).toContain(call.name);
    }
    // No more: every grant is used.
    expect(new Set(granted.map((grant) => grant.key))).toEqual(usedKeys);
    expect([...usedKeys].sort()).toEqual(['apps|statefulsets/scale|get', 'apps|statefulsets/scale|patch', '|pods|delete']);
  });
});
