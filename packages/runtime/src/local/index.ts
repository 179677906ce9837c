// The standalone adapters of the ports: in-process, on PostgreSQL, Redis, the file system or MinIO.
export { createLocalPubSub } from './local-pub-sub.ts';
export type { LocalPubSub, LocalPubSubOptions } from './local-pub-sub.ts';
export type { RetryPolicy } from './outbox-dispatcher.ts';
export { createLocalActorHost } from './local-actor-host.ts';
export type { LocalActorHostOptions, ReminderRetryPolicy } from './local-actor-host.ts';
export { createMemoryKeyValueStore } from './memory-key-value-store.ts';
export { createRedisKeyValueStore } from './redis-key-value-store.ts';
export { createFileObjectStore } from './file-object-store.ts';
export { createMinioObjectStore } from './minio-object-store.ts';
export type { MinioObjectStoreOptions } from './minio-object-store.ts';
export { createHttpOutputBinding } from './http-output-binding.ts';
export type { HttpOutputBindingOptions } from './http-output-binding.ts';
