import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyJsonPatch, applyMergePatch, JsonPatchError, type JsonPatchOperation } from './json-patch.ts';

export interface RecordedKubernetesRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

export interface StatefulSetSeed {
  namespace: string;
  name: string;
  replicas: number;
  /** The headless Service (default: the StatefulSet's name). */
  serviceName?: string;
}

export interface KubernetesApiDoubleOptions {
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
  statefulSets?: StatefulSetSeed[];
}

export interface PodRecord {
  namespace: string;
  name: string;
  uid: string;
  /** How many times the pod was deleted and re-created under this name. */
  restarts: number;
}

export interface KubernetesApiDouble {
  /** The API server URL for a KubeConfig cluster (`http://127.0.0.1:<port>`). */
  url: string;
  readonly requests: RecordedKubernetesRequest[];
  /** The stored StatefulSet (apps/v1 JSON), or undefined. */
  statefulSet(namespace: string, name: string): (Record<string, unknown> & { spec: { replicas: number } }) | undefined;
  /** Pods the StatefulSet controller of this double keeps: `<name>-0 … <name>-(replicas-1)`. */
  pods(namespace: string): PodRecord[];
  /** Changes replicas as a person with kubectl would (the controller must notice). */
  setReplicas(namespace: string, name: string, replicas: number): void;
  stop(): Promise<void>;
}

const statefulSetPath = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets\/([^/]+)(\/scale)?$/;
const podPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/;

/**
 * A Kubernetes API server double for the paths the instance controller's `@kubernetes/client-node` calls use:
 * StatefulSets (GET/PATCH, incl. the `/scale` subresource as autoscaling/v1 Scale) and pods (GET/DELETE), with the
 * patch content types the client sends (json-patch, merge-patch, strategic-merge-patch), `Status` errors (404,
 * 409/422 on a failed JSON Patch `test`, 415) and a bumped resourceVersion per change. A small StatefulSet
 * controller keeps the pods `<name>-N` in step with replicas and re-creates a deleted pod (a restart).
 */
export async function startKubernetesApiDouble(options: KubernetesApiDoubleOptions = {}): Promise<KubernetesApiDouble> {
  const requests: RecordedKubernetesRequest[] = [];
  const statefulSets = new Map<string, Record<string, unknown> & { metadata: Record<string, unknown>; spec: { replicas: number } }>();
  const pods = new Map<string, PodRecord>();
  let resourceVersion = 1000;
  const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

  function reconcilePods(namespace: string, name: string, replicas: number) {
    for (let ordinal = 0; ordinal < replicas; ordinal++) {
      const podName = `${name}-${ordinal}`;
      if (!pods.has(keyOf(namespace, podName))) pods.set(keyOf(namespace, podName), { namespace, name: podName, uid: randomUUID(), restarts: 0 });
    }
    for (const [key, pod] of pods) {
      const ordinal = pod.name.startsWith(`${name}-`) ? Number(pod.name.slice(name.length + 1)) : Number.NaN;
      if (pod.namespace === namespace && Number.isInteger(ordinal) && ordinal >= replicas) pods.delete(key);
    }
  }

  function store(namespace: string, name: string, next: Record<string, unknown> & { spec: { replicas: number } }) {
    const replicas = next.spec.replicas;
    const metadata = { ...(next.metadata as Record<string, unknown>), name, namespace, resourceVersion: String(++resourceVersion) };
    const updated = { ...next, metadata, status: { ...(next.status as object), replicas, readyReplicas: replicas, availableReplicas: replicas } };
    statefulSets.set(keyOf(namespace, name), updated as never);
    reconcilePods(namespace, name, replicas);
  }

  for (const seed of options.statefulSets ?? []) {
    store(seed.namespace, seed.name, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: seed.name, namespace: seed.namespace, uid: randomUUID(), generation: 1 },
      spec: {
        replicas: seed.replicas,
        serviceName: seed.serviceName ?? seed.name,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { app: seed.name } },
        template: { metadata: { labels: { app: seed.name } }, spec: { containers: [{ name: 'app', image: 'baileys-sessions:test' }] } },
      } as { replicas: number },
    });
  }

  const scaleOf = (set: Record<string, unknown> & { metadata: Record<string, unknown>; spec: { replicas: number } }) => ({
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: set.metadata['name'], namespace: set.metadata['namespace'], resourceVersion: set.metadata['resourceVersion'] },
    spec: { replicas: set.spec.replicas },
    status: { replicas: set.spec.replicas, selector: `app=${String(set.metadata['name'])}` },
  });

  function patched(document: unknown, contentType: string | undefined, body: unknown): unknown {
    const type = (contentType ?? '').split(';')[0]!.trim();
    if (type === 'application/json-patch+json') return applyJsonPatch(document, body as JsonPatchOperation[]);
    if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') return applyMergePatch(document, body);
    throw new HttpStatus(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type || 'none'})`,
    );
  }

  function route(method: string, path: string, contentType: string | undefined, body: unknown): { status: number; body: unknown } {
    const set = path.match(statefulSetPath);
    if (set) {
      const [, namespace, name, scale] = set as unknown as [string, string, string, string | undefined];
      const current = statefulSets.get(keyOf(namespace, name));
      if (!current) throw new HttpStatus(404, 'NotFound', `statefulsets.apps "${name}" not found`, { name, group: 'apps', kind: 'statefulsets' });
      if (method === 'GET') return { status: 200, body: scale ? scaleOf(current) : current };
      if (method === 'PATCH') {
        const next = patched(scale ? scaleOf(current) : current, contentType, body) as { spec?: { replicas?: unknown } };
        const replicas = next.spec?.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
          throw new HttpStatus(422, 'Invalid', `StatefulSet.apps "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}`);
        }
        store(namespace, name, scale ? { ...current, spec: { ...current.spec, replicas } } : (next as typeof current));
        const stored = statefulSets.get(keyOf(namespace, name))!;
        return { status: 200, body: scale ? scaleOf(stored) : stored };
      }
      throw new HttpStatus(405, 'MethodNotAllowed', `${method} is not supported here`);
    }
    const pod = path.match(podPath);
    if (pod) {
      const [, namespace, name] = pod as unknown as [string, string, string];
      const current = pods.get(keyOf(namespace, name));
      if (!current) throw new HttpStatus(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
      const podJson = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, uid: current.uid }, status: { phase: 'Running' } };
      if (method === 'GET') return { status: 200, body: podJson };
      if (method === 'DELETE') {
        // The StatefulSet controller brings the same name back as a new pod.
        pods.set(keyOf(namespace, name), { ...current, uid: randomUUID(), restarts: current.restarts + 1 });
        return { status: 200, body: { ...podJson, metadata: { ...podJson.metadata, deletionTimestamp: new Date().toISOString() } } };
      }
      throw new HttpStatus(405, 'MethodNotAllowed', `${method} is not supported here`);
    }
    throw new HttpStatus(404, 'NotFound', `the server could not find the requested resource (${method} ${path})`);
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://double');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      const record: RecordedKubernetesRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: undefined,
        status: 0,
      };
      let answer: { status: number; body: unknown };
      try {
        if (options.token && request.headers.authorization !== `Bearer ${options.token}`) throw new HttpStatus(401, 'Unauthorized', 'Unauthorized');
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw new HttpStatus(400, 'BadRequest', 'the request body is not JSON');
        }
        record.body = body;
        answer = route(record.method, url.pathname, record.contentType, body);
      } catch (error) {
        const status =
          error instanceof HttpStatus
            ? error
            : error instanceof JsonPatchError
              ? new HttpStatus(422, 'Invalid', error.message)
              : new HttpStatus(500, 'InternalError', String(error));
        answer = { status: status.code, body: status.toStatus() };
      }
      record.status = answer.status;
      requests.push(record);
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    statefulSet: (namespace, name) => statefulSets.get(keyOf(namespace, name)) as never,
    pods: (namespace) =>
      [...pods.values()].filter((pod) => pod.namespace === namespace).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
    setReplicas(namespace, name, replicas) {
      const current = statefulSets.get(keyOf(namespace, name));
      if (!current) throw new Error(`no StatefulSet ${namespace}/${name}`);
      store(namespace, name, { ...current, spec: { ...current.spec, replicas } });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A Kubernetes `Status` failure. */
class HttpStatus extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}
