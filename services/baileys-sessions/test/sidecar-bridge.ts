import type { DaprSidecarDouble } from '@app/testkit/dapr-sidecar';

/**
 * A shared broker between per-pod sidecar doubles, as Redis Streams or Kafka is between real daprd's: a message
 * published through one sidecar reaches its own app when that app subscribes to the topic (one consumer group per
 * app id: any member), otherwise the sidecar of the one pod that subscribes. A sidecar whose app is down keeps
 * the message until the app is back.
 */
export function bridgeSidecars(sidecars: DaprSidecarDouble[], pubsubName = 'pubsub') {
  const seen = sidecars.map(() => 0);
  const forwarded = new Set<string>();
  const timer = setInterval(() => {
    sidecars.forEach((sidecar, index) => {
      const fresh = sidecar.published.slice(seen[index]);
      seen[index] = sidecar.published.length;
      for (const message of fresh) {
        const id = String(message.cloudEvent['id']);
        if (forwarded.has(id)) continue;
        const subscribes = (candidate: DaprSidecarDouble) => candidate.subscriptions.some((entry) => entry.topic === message.topic);
        if (subscribes(sidecar)) continue;
        const target = sidecars.find((candidate) => candidate !== sidecar && subscribes(candidate));
        if (!target) continue;
        forwarded.add(id);
        void fetch(`${target.url}/v1.0/publish/${pubsubName}/${encodeURIComponent(message.topic)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents+json' },
          body: JSON.stringify(message.cloudEvent),
        });
      }
    });
  }, 20);
  return { stop: () => clearInterval(timer) };
}
