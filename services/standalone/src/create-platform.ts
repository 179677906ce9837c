import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createBaileysSessions } from '@app/baileys-sessions';
import { AI_WORKERS_GROUP, registerConversationActors, releaseAbandonedBufferLeases } from '@app/conversation-actors';
import { migrateDatabase, openDatabase, SecretBox, type Database } from '@app/db';
import type { ToolProvider } from '@app/domain';
import {
  accessTokenFromSecretBox,
  createGraphApiClient,
  createMetaEgressHandler,
  createMetaMediaDownloads,
  createMetaWebhooksRouter,
  type MetaMediaDownloads,
} from '@app/meta-webhooks';
import { createFileObjectStore, createLocalActorHost, createLocalPubSub } from '@app/runtime/local';
import { directHttpToolCallerFromSettings } from '@app/runtime/providers';
import { systemClock, type Clock } from '@app/runtime/ports';
import { createLogger, createObservability, createOperationalRouter, errorMiddleware, notFoundHandler, type Logger } from '@app/runtime/service';
import { createLiveUpdates, createMailer, createTenantApi, sandboxEgressSubscription, trustProxySetting } from '@app/tenant-api';
import express, { type Express } from 'express';
import type { StandaloneConfig } from './config.ts';
import { createConsoleRouter } from './console-static.ts';
import { loadOrCreateSecrets } from './standalone-secrets.ts';

export interface PlatformOptions {
  config: StandaloneConfig;
  logger?: Logger;
  clock?: Clock;
  /** Tools beyond the platform's own (the AI benchmark's); see registerConversationActors. */
  extraToolProviders?: readonly ToolProvider[];
}

export interface Platform {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  app: Express;
  database: Database;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * The standalone composition root: every service in one process on the local adapters (PGlite or PostgreSQL, the
 * in-process actor host with durable reminders, the outbox pub/sub). Services only see ports; this is the one
 * place that picks adapters for the laptop mode.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service: 'platform', level: config.platform.LOG_LEVEL });

  const database = await openDatabase(
    config.platform.DATABASE_URL
      ? { url: config.platform.DATABASE_URL, poolSize: config.platform.DATABASE_POOL_SIZE }
      : { dataDir: join(config.platform.DATA_DIR, 'pglite') },
  );
  const { applied } = await migrateDatabase(database);
  logger.info({ event: 'platform.database_ready', kind: database.kind, appliedMigrations: applied }, `database ready (${database.kind})`);
  const { prisma } = database;

  const tenantApiConfig = { ...config.tenantApi };
  if (!tenantApiConfig.JWT_SECRET || !tenantApiConfig.CREDENTIALS_KEY) {
    const secrets = await loadOrCreateSecrets(config.platform.DATA_DIR);
    tenantApiConfig.JWT_SECRET ??= secrets.jwtSecret;
    tenantApiConfig.CREDENTIALS_KEY ??= secrets.credentialsKey;
    logger.warn(
      { event: 'platform.generated_secrets', dataDir: config.platform.DATA_DIR },
      'using generated secrets from DATA_DIR; set JWT_SECRET and CREDENTIALS_KEY in production',
    );
  }
  const credentialsBox = SecretBox.fromCredentialsKey(tenantApiConfig.CREDENTIALS_KEY);

  const pubsub = createLocalPubSub({
    prisma,
    logger,
    clock,
    groupConcurrency: { [AI_WORKERS_GROUP]: config.conversationActors.WORKER_CONCURRENCY },
  });
  const host = createLocalActorHost({ prisma, logger, clock, onEventsCommitted: () => pubsub.wake() });
  const conversations = registerConversationActors({
    host,
    pubsub,
    prisma,
    logger,
    clock,
    config: config.conversationActors,
    // HTTP tools are called from this process, under the SSRF guard of the HTTP_TOOLS_* settings.
    httpTools: { credentials: credentialsBox, caller: directHttpToolCallerFromSettings(config.conversationActors) },
    ...(options.extraToolProviders ? { extraToolProviders: options.extraToolProviders } : {}),
  });
  pubsub.subscribe(sandboxEgressSubscription({ prisma, logger, clock }));
  // WhatsApp Web (Baileys): every session runs in this process, with the same leases as on Kubernetes.
  // Media (inbound downloads, outbound files) live under DATA_DIR/objects in standalone mode.
  const objectStore = createFileObjectStore(join(config.platform.DATA_DIR, 'objects'));
  const baileys = createBaileysSessions({
    prisma,
    logger,
    secretBox: credentialsBox,
    pubsub,
    config: config.baileysSessions,
    objectStore,
    onStored: () => pubsub.wake(),
  });
  // Live updates for the console: in process, or through Redis when REDIS_URL is set (see docs/adr/0004-live-updates.md).
  const live = createLiveUpdates({ prisma, logger, clock, redisUrl: config.platform.REDIS_URL });
  for (const subscription of live.subscriptions) pubsub.subscribe(subscription);

  const observability = createObservability('platform');
  const app = express();
  app.disable('x-powered-by');
  const trustProxy = trustProxySetting(tenantApiConfig.TRUST_PROXY);
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(observability.httpMetrics);
  app.use(
    createOperationalRouter({
      registry: observability.registry,
      checks: { database: async () => void (await prisma.$queryRaw`SELECT 1`) },
    }),
  );

  let metaMedia: MetaMediaDownloads | null = null;
  if (config.metaWebhooks) {
    const graph = createGraphApiClient({ graphUrl: config.metaWebhooks.META_GRAPH_URL });
    // Library files and stored media are uploaded to the phone number from the same store before they are sent.
    pubsub.subscribe(
      createMetaEgressHandler({ prisma, graph, readAccessToken: accessTokenFromSecretBox(credentialsBox), logger, objectStore, clock }),
    );
    // Inbound Cloud API media go to the same object store as Baileys media (DATA_DIR/objects).
    metaMedia = createMetaMediaDownloads({ prisma, objectStore, secretBox: credentialsBox, logger, config: config.metaWebhooks });
    app.use(createMetaWebhooksRouter({ prisma, logger, config: config.metaWebhooks, media: metaMedia, onIngested: () => pubsub.wake() }));
  } else {
    logger.info({ event: 'platform.meta_disabled' }, 'Cloud API webhooks are off: set META_APP_SECRET and META_VERIFY_TOKEN to receive them');
  }

  app.use(
    '/api',
    createTenantApi({
      prisma,
      logger,
      clock,
      config: tenantApiConfig,
      mailer: createMailer({ smtpUrl: tenantApiConfig.SMTP_URL, from: tenantApiConfig.MAIL_FROM }),
      aiStatus: () => {
        const status = conversations.aiStatus();
        return status.enabled ? { enabled: true, reason: null } : status;
      },
      queueStats: (businessId) => conversations.queueStats(businessId),
      runAgentTests: (request) => conversations.runAgentTests(request),
      live,
      sessions: baileys.host,
      objectStore,
    }),
  );
  const consoleRouter = createConsoleRouter(config.platform.CONSOLE_DIR);
  if (consoleRouter) app.use(consoleRouter);
  else
    logger.info(
      { event: 'platform.console_missing', consoleDir: config.platform.CONSOLE_DIR },
      'the console is not built: run `npm run build:console` to serve it at /',
    );
  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));

  // This process is the only one on its database: whatever a previous run held when it died is free again.
  await releaseAbandonedBufferLeases(prisma);
  await host.start();
  await pubsub.start();
  await baileys.start();
  metaMedia?.start();
  const server = await listen(app, config.platform.PORT, config.platform.HOST);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`.replace('0.0.0.0', '127.0.0.1');
  logger.info({ event: 'platform.listening', url }, `platform listening on ${url}`);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Stop accepting first, so a console reconnecting its event stream cannot open a new one; then end the open
      // streams (clients resume from their last event id on the next server) and any request still lingering.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await live.stop();
      // server.close() dropped the connections idle at that moment; those whose stream just ended are idle now, and a
      // keep-alive connection that carries one more request meanwhile (a console asking to resume) is idle once
      // answered: close idle ones until none is left, not just once.
      server.closeIdleConnections();
      const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
      const lingering = setTimeout(() => {
        logger.warn({ event: 'platform.connections_forced' }, 'requests still open 5 s after stopping: connections cut');
        server.closeAllConnections();
      }, 5_000);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(lingering);
      await baileys.stop();
      await metaMedia?.stop();
      await conversations.stop();
      await pubsub.stop();
      await host.stop();
      await database.close();
      logger.info({ event: 'platform.stopped' }, 'platform stopped');
    })());

  return { url, app, database, logger, stop };
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.on('error', reject);
  });
}
