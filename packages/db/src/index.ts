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
export { deterministicUuid } from './messages/deterministic-id.ts';
export { preparedMarker } from './messages/prepared-statement.ts';
export { createGroupCommit, type GroupCommit, type GroupCommitOptions } from './group-commit.ts';
export { installOnce } from './install-once.ts';
export { executeRawFast, queryRawFast, type RawSqlClient } from './raw-query.ts';
// The rows of the inbound media download queue (the worker is @app/runtime/providers').
export * from './media-downloads/media-download.repository.ts';
// Custom contact fields: definitions and typed values, shared by the tenant API and the agent's tool.
export * from './contact-fields/contact-field-values.ts';
// Appointments: free slots, booking without double booking (exclusion constraint), reminders' schedule.
export * from './appointments/appointment-book.ts';
// Sales: catalogue search, orders and their vouchers (tenant-api's routes and the agent's tools share them).
export * from './sales/index.ts';
