import type { Prisma, PrismaClient } from './generated/prisma/client.ts';

export type DatabaseKind = 'postgres' | 'pglite';

/** An open database: the Prisma client plus what it runs on. Close it once, at shutdown. */
export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** The client handed to an interactive transaction (`prisma.$transaction(async (tx) => …)`). */
export type Transaction = Prisma.TransactionClient;
