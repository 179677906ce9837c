// Experiment: the Cloud API webhook router alone (no actors, no pub/sub) on the platform's database settings, to
// measure the ingestion path's own ceiling. Started by bench-ingest.ts with --server=ingest-only.
import { migrateDatabase, openDatabase } from '@app/db';
import { createMetaWebhooksRouter } from '@app/meta-webhooks';
import { createLogger, errorMiddleware } from '@app/runtime/service';
import express from 'express';

const database = await openDatabase({ url: process.env.DATABASE_URL! });
await migrateDatabase(database);
const logger = createLogger({ service: 'ingest-only', level: 'warn' });
const app = express();
app.get('/readyz', (_request, response) => void response.sendStatus(200));
app.use(
  createMetaWebhooksRouter({ prisma: database.prisma, logger, config: { META_APP_SECRET: process.env.META_APP_SECRET!, META_VERIFY_TOKEN: 'x' } }),
);
app.use(errorMiddleware(logger));
app.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => void database.close().then(() => process.exit(0)));
