// The Kubernetes side: @dapr/dapr adapters of the ports and the service shell that runs them behind a sidecar.
export { createDaprClient } from './dapr-client.ts';
export type { DaprClientOptions } from './dapr-client.ts';
export { createDaprActorHost, pendingEffectsKey } from './dapr-actor-host.ts';
export type { DaprActorHost, DaprActorHostOptions } from './dapr-actor-host.ts';
export { createDaprActorClient } from './dapr-actor-client.ts';
export type { DaprActorClientOptions } from './dapr-actor-client.ts';
export { createDaprPubSub, deadLetterTopicOf } from './dapr-pub-sub.ts';
export type { DaprPubSub, DaprPubSubOptions } from './dapr-pub-sub.ts';
export { createDaprOutputBinding } from './dapr-output-binding.ts';
export { requireAppToken } from './app-token.ts';
export { startDaprService } from './dapr-service.ts';
export type { DaprService, DaprServiceContext, DaprServiceOptions, DaprServiceParts } from './dapr-service.ts';
// The outbox → sidecar relay runs inside every Dapr service (its dispatcher is the local pub/sub's).
export { createOutboxRelay } from '../local/outbox-relay.ts';
export type { OutboxRelay, OutboxRelayOptions } from '../local/outbox-relay.ts';
export { createDaprHttpToolCaller } from './dapr-http-tool-caller.ts';
export type { DaprHttpToolCallerOptions } from './dapr-http-tool-caller.ts';
