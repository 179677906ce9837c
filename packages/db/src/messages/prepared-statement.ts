import { createHash } from 'node:crypto';

/**
 * Hot-path statements start with this comment to be run as named prepared statements on PostgreSQL: the big
 * CTEs of this folder cost more to plan than to execute (measured: ~2.7× more inserts per second prepared).
 * Only marked statements are prepared, so the per-connection statement cache stays small and bounded.
 */
export const preparedMarker = '/* prepared */';

/** For `new PrismaPg(pool, { statementNameGenerator })`: a stable name for marked statements, none otherwise. */
export function preparedStatementName(query: { sql: string }): string {
  if (!query.sql.startsWith(preparedMarker)) return undefined as unknown as string;
  return `app_${createHash('sha1').update(query.sql).digest('hex').slice(0, 20)}`;
}
