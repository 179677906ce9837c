export type { Database, DatabaseKind, Transaction } from './database.ts';
export { openDatabase } from './open-database.ts';
export type { OpenDatabaseOptions } from './open-database.ts';
export { migrateDatabase } from './migrations/migrate-database.ts';
export type { MigrateDatabaseOptions, MigrateDatabaseResult } from './migrations/migrate-database.ts';
export { pendingMigrations } from './migrations/pending-migrations.ts';
export { MigrationError } from './migrations/migration-error.ts';
export type { MigrationErrorCode } from './migrations/migration-error.ts';
export { defaultMigrationsDirectory } from './migrations/migration-files.ts';
export { enqueueEvent } from './outbox/enqueue-event.ts';
export type { EnqueueEventOptions } from './outbox/enqueue-event.ts';
export { SecretBox, SecretBoxError } from './crypto/secret-box.ts';
export type { SecretBoxErrorCode, SecretBoxKeys } from './crypto/secret-box.ts';
// The generated client: PrismaClient, the Prisma namespace, every enum and model type.
export * from './generated/prisma/client.ts';
export * from './messages/record-inbound-message.ts';
export * from './messages/outbound-transitions.ts';
export * from './messages/apply-delivery-status.ts';
export * from './messages/provider-egress.subscription.ts';
export { deterministicUuid } from './messages/deterministic-id.ts';
export { preparedMarker } from './messages/prepared-statement.ts';
export { executeRawFast, queryRawFast, type RawSqlClient } from './raw-query.ts';
// Inbound media → object store, shared by every provider that downloads media (Baileys, Cloud API).
export { createMediaDownloadQueue } from './media-downloads/media-download-queue.ts';
export type {
  MediaDownloadQueue,
  MediaDownloadQueueDependencies,
  MediaDownloadTimers,
  PendingMediaDownload,
} from './media-downloads/media-download-queue.ts';
export type { DownloadedMedia, MediaDownloader, MediaDownloadProvider, MediaSourceCodec } from './media-downloads/media-downloader.ts';
export { MediaDownloadError, type MediaDownloadErrorCode } from './media-downloads/media-download-error.ts';
export { downloadFailure, downloadRetryDelayMs, pendingDownloadState, type MediaDownloadState } from './media-downloads/media-download-state.ts';
export { inboundMediaKey } from './media-downloads/media-object-key.ts';
