export type MigrationErrorCode =
  /** An applied migration's file was edited after it ran: the database and the repository disagree. */
  | 'MIGRATION_CHECKSUM_MISMATCH'
  /** The history holds a migration that started but never finished (left by the Prisma CLI); resolve it by hand. */
  | 'MIGRATION_LEFT_UNFINISHED'
  /** Another process held the migration lock for longer than the lock timeout. */
  | 'MIGRATION_LOCK_TIMEOUT'
  /** A migration's SQL failed; its transaction was rolled back and nothing of it remains. */
  | 'MIGRATION_FAILED'
  /** The migrations directory is missing or malformed. */
  | 'MIGRATIONS_DIRECTORY_INVALID';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    readonly details: { migrationName?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
