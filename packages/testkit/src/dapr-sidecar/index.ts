export { startDaprSidecarDouble } from './dapr-sidecar-double.ts';
export type { BindingCall, DaprSidecarDouble, DaprSidecarDoubleOptions } from './dapr-sidecar-double.ts';
export type { ReminderDelivery, RetryPolicy } from './sidecar-actors.ts';
export type { AppSubscription, MessageDelivery, PublishedMessage, StreamSettings } from './sidecar-pub-sub.ts';
export { parseDuration } from './sidecar-durations.ts';
export { placementOf } from './app-channel.ts';
export type { HttpBindingComponent } from './sidecar-http-binding.ts';
