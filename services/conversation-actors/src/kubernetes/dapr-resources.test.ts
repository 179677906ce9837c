import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CONVERSATION_ACTOR_TYPE, httpToolResponseCapBytes, httpToolTimeouts } from '@app/domain';
import { kubernetesSettingsSchema } from '@app/runtime/service';
import { parseDuration } from '@app/testkit/dapr-sidecar';
import { describe, expect, it } from 'vitest';
import { conversationActorsAppId } from './start-conversation-actors-service.ts';

// The Dapr resources the chart will render (deploy/dapr), read with the YAML parser @kubernetes/client-node uses.
const directory = new URL('../../../../deploy/dapr/', import.meta.url).pathname;
const jsYaml = createRequire(createRequire(import.meta.url).resolve('@kubernetes/client-node'))('js-yaml') as { loadAll(text: string): unknown[] };

interface DaprResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
  scopes?: string[];
}

const files = readdirSync(directory).filter((file) => file.endsWith('.yaml') && file !== 'pod-annotations.yaml');
const resources = files.flatMap((file) => jsYaml.loadAll(readFileSync(`${directory}${file}`, 'utf8')) as DaprResource[]);
const annotations = jsYaml.loadAll(readFileSync(`${directory}pod-annotations.yaml`, 'utf8'))[0] as Record<string, string>;
const one = (kind: string, name: string) => {
  const found = resources.filter((resource) => resource.kind === kind && resource.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0]!;
};
const metadataOf = (component: DaprResource) =>
  Object.fromEntries((component.spec.metadata as { name: string; value?: string }[]).map((entry) => [entry.name, entry.value ?? 'secretKeyRef']));
const defaults = kubernetesSettingsSchema.parse({ DATABASE_URL: 'postgresql://localhost/x', APP_API_TOKEN: 'a-token-for-the-defaults' });
const seconds = (duration: string) => parseDuration(duration) / 1_000;

describe('deploy/dapr', () => {
  it('holds Dapr resources only, each once', () => {
    expect(resources.every((resource) => resource.apiVersion === 'dapr.io/v1alpha1')).toBe(true);
    expect(resources.map((resource) => `${resource.kind}/${resource.metadata.name}`).sort()).toEqual([
      'Component/actorstore',
      'Component/http-tools',
      'Component/pubsub',
      'Configuration/platform',
      'Resiliency/platform-resiliency',
    ]);
  });

  it('names the pub/sub component as the apps do, with its delivery workers and timeouts set explicitly', () => {
    const pubsub = one('Component', defaults.PUBSUB_NAME);
    expect(pubsub.spec).toMatchObject({ type: 'pubsub.redis', version: 'v1' });
    const metadata = metadataOf(pubsub);
    expect(Number(metadata.concurrency)).toBeGreaterThanOrEqual(10);
    // A delivery is reclaimed after processingTimeout: it must outlast what Resiliency lets one delivery take.
    const resiliency = one('Resiliency', 'platform-resiliency').spec as { policies: { timeouts: Record<string, string> } };
    expect(seconds(metadata.processingTimeout!)).toBeGreaterThan(seconds(resiliency.policies.timeouts.deliveryCall!));
    expect(seconds(metadata.redeliverInterval!)).toBeGreaterThan(0);
  });

  it('gives the pub/sub component an inbound retry policy and the actor type a timeout, targets that exist', () => {
    const spec = one('Resiliency', 'platform-resiliency').spec as {
      policies: { timeouts: Record<string, string>; retries: Record<string, { maxRetries: number }> };
      targets: {
        components: Record<string, { inbound: { retry: string; timeout: string } }>;
        actors: Record<string, { timeout: string; retry: string }>;
      };
    };
    const inbound = spec.targets.components[defaults.PUBSUB_NAME]!.inbound;
    expect(spec.policies.retries[inbound.retry]!.maxRetries).toBeGreaterThan(0);
    expect(spec.policies.timeouts[inbound.timeout]).toBeDefined();
    const actor = spec.targets.actors[CONVERSATION_ACTOR_TYPE]!;
    expect(spec.policies.timeouts[actor.timeout]).toBeDefined();
    expect(spec.policies.retries[actor.retry]).toBeDefined();
  });

  it('has exactly one actor state store, loaded by the app id that hosts the actors', () => {
    const stores = resources.filter((resource) => resource.kind === 'Component' && metadataOf(resource).actorStateStore === 'true');
    expect(stores.map((store) => store.metadata.name)).toEqual(['actorstore']);
    expect(stores[0]!.scopes).toEqual([conversationActorsAppId]);
    expect(one('Component', defaults.PUBSUB_NAME).scopes).toContain(conversationActorsAppId);
  });

  it('annotates pods so the sidecar outlives the app’s drain and routes nothing to an unhealthy app', () => {
    expect(annotations['dapr.io/config']).toBe(one('Configuration', 'platform').metadata.name);
    expect(annotations['dapr.io/enable-app-health-check']).toBe('true');
    expect(annotations['dapr.io/app-health-check-path']).toBe('/healthz');
    expect(seconds(annotations['dapr.io/block-shutdown-duration']!)).toBeGreaterThanOrEqual(defaults.SHUTDOWN_TIMEOUT_SECONDS);
    expect(Number(annotations['dapr.io/graceful-shutdown-seconds'])).toBeGreaterThan(seconds(annotations['dapr.io/block-shutdown-duration']!));
    expect(annotations['dapr.io/app-token-secret']).toBeTruthy();
  });

  it('sends HTTP tools through an HTTP output binding that fails on non-2xx, reads one byte over the cap and outlasts a tool’s timeout', () => {
    const binding = one('Component', 'http-tools');
    expect(binding.spec).toMatchObject({ type: 'bindings.http', version: 'v1' });
    const metadata = metadataOf(binding);
    expect(metadata).toMatchObject({ url: 'secretKeyRef', direction: 'output', errorIfNot2XX: 'true' });
    expect(Number(metadata.maxResponseBodySize)).toBe(httpToolResponseCapBytes + 1);
    expect(binding.scopes?.sort()).toEqual([conversationActorsAppId, 'tenant-api'].sort());
    const spec = one('Resiliency', 'platform-resiliency').spec as {
      policies: { timeouts: Record<string, string> };
      targets: { components: Record<string, { outbound?: { timeout: string; retry?: string } }> };
    };
    const outbound = spec.targets.components['http-tools']!.outbound!;
    expect(seconds(spec.policies.timeouts[outbound.timeout]!)).toBeGreaterThan(httpToolTimeouts.maxMs / 1_000);
    expect(outbound.retry).toBeUndefined();
  });
});
