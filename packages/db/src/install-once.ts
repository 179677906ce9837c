import type { PrismaClient } from './generated/prisma/client.ts';

const installed = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Runs an idempotent DDL statement (`CREATE OR REPLACE FUNCTION …`, which migrations generated from the Prisma schema
 * cannot express) once per client, under a transaction-scoped advisory lock so replicas starting together on one
 * database do not race. A failed install is tried again on the next call.
 */
export function installOnce(client: Pick<PrismaClient, '$transaction'>, lockId: number, statement: string): Promise<void> {
  let byStatement = installed.get(client);
  if (!byStatement) installed.set(client, (byStatement = new Map()));
  let done = byStatement.get(statement);
  if (!done) {
    done = client
      .$transaction(async (transaction) => {
        await transaction.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${lockId})`);
        await transaction.$executeRawUnsafe(statement);
      })
      .then(() => undefined);
    done.catch(() => byStatement.delete(statement));
    byStatement.set(statement, done);
  }
  return done;
}
