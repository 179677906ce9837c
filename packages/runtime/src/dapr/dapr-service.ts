import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { migrateDatabase, openDatabase, pendingMigrations, type Database, type PrismaClient } from '@app/db';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createDaprActorClient } from './dapr-actor-client.ts';
import { createDaprActorHost, type DaprActorHost } from './dapr-actor-host.ts';
import { createDaprPubSub, type DaprPubSub } from './dapr-pub-sub.ts';
import { DaprSidecarClient } from './dapr-sidecar-client.ts';
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from '../local/outbox-relay.ts';
import type { ActorClient } from '../ports/actor-host.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { createLogger } from '../service/create-logger.ts';
import { errorMiddleware, notFoundHandler } from '../service/http-errors.ts';
import { daprHttpUrlOf, type KubernetesSettings } from '../service/kubernetes-config.ts';
import { createObservability, createOperationalRouter, type ReadinessCheck } from '../service/operational-router.ts';

export interface DaprServiceContext {
  settings: KubernetesSettings;
  database: Database;
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  daprHttpUrl: string;
  /** Subscribe here (served at GET /dapr/subscribe); events the service writes go through the outbox instead. */
  pubsub: DaprPubSub;
  /** The outbox relay of this replica: `wake()` after a write that enqueued events. */
  relay: OutboxRelay;
  /** Calls actors hosted by any app id, through the sidecar. */
  actors: ActorClient;
  /** Hosts actors in this app id (served at GET /dapr/config and /actors/...). Only the actor-hosting service calls it. */
  hostActors(): DaprActorHost;
  /** Dapr service invocation: `GET|POST /v1.0/invoke/{appId}/method/{path}`, JSON in and out. */
  invokeService<T>(appId: string, method: 'GET' | 'POST', path: string, body?: unknown, options?: { timeoutMs?: number }): Promise<T>;
}

export interface DaprServiceParts {
  /** Mounts the service's own routes (after the Dapr and operational routes, before the 404 and error handlers). */
  mount?(app: Express): void;
  readiness?: Record<string, ReadinessCheck>;
  /** Runs once the adapters started, before the port opens. */
  start?(): Promise<void>;
  /** Runs after deliveries stopped, before the relay, the actor host and the database close. */
  stop?(): Promise<void>;
}

export interface DaprServiceOptions {
  /** The service's name: the logger's `service`, the metrics label, the log events' prefix. */
  service: string;
  settings: KubernetesSettings;
  /**
   * 'apply': run the migrations at start (lock-safe, so replicas may start together); 'await': wait until the
   * deployable that applies them did (docs/adr/0006-kubernetes-service-entries.md).
   */
  migrations: 'apply' | 'await';
  migrationWaitTimeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
  compose(context: DaprServiceContext): DaprServiceParts | Promise<DaprServiceParts>;
}

export interface DaprService {
  /** Where the app listens, e.g. http://127.0.0.1:3000. */
  url: string;
  app: Express;
  database: Database;
  logger: Logger;
  /** Graceful stop: not ready, stop taking deliveries, drain, close. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The Kubernetes-mode composition every deployable shares: PostgreSQL, migrations, the Dapr adapters (pub/sub
 * served at /dapr/subscribe, actor client, optionally the actor host), the outbox relay, /healthz /readyz
 * /metrics, and a graceful stop. The service adds its own subscriptions and routes in `compose`.
 */
export async function startDaprService(options: DaprServiceOptions): Promise<DaprService> {
  const { settings, service } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ service, level: settings.LOG_LEVEL });
  const daprHttpUrl = daprHttpUrlOf(settings);
  const database = await openDatabase({ url: settings.DATABASE_URL, poolSize: settings.DATABASE_POOL_SIZE });
  // Stopped in this order: deliveries, the service's workers, the relay, the actor host (the database last).
  const closers: (() => Promise<void>)[] = [];
  try {
    await prepareSchema(database, options, logger);
    const { prisma } = database;
    const tokens = { daprApiToken: settings.DAPR_API_TOKEN, appApiToken: settings.APP_API_TOKEN };
    // A daprd refused at /dapr/config or /dapr/subscribe routes nothing here: the replica must not look ready. Only
    // until that handshake succeeds once, so that a stray unauthenticated caller later cannot unready the pod.
    const handshakes = { accepted: new Set<string>(), rejected: undefined as string | undefined };
    const onHandshake = (path: string, accepted: boolean) => {
      if (accepted) handshakes.accepted.add(path);
      else if (!handshakes.accepted.has(path)) handshakes.rejected ??= path;
    };
    const pubsub = createDaprPubSub({
      pubsubName: settings.PUBSUB_NAME,
      daprHttpUrl,
      logger,
      clock,
      ...tokens,
      onHandshake,
      retries: { prisma },
    });
    const relay = createOutboxRelay({ prisma, logger, clock, publisher: pubsub, ...options.relay });
    const sidecar = new DaprSidecarClient({ daprHttpUrl, daprApiToken: settings.DAPR_API_TOKEN });
    let actorHost: DaprActorHost | undefined;
    let stopping = false;

    const parts = await options.compose({
      settings,
      database,
      prisma,
      logger,
      clock,
      daprHttpUrl,
      pubsub,
      relay,
      actors: createDaprActorClient({ daprHttpUrl, daprApiToken: settings.DAPR_API_TOKEN }),
      hostActors: () => (actorHost ??= createDaprActorHost({ daprHttpUrl, publisher: pubsub, logger, clock, ...tokens, onHandshake })),
      async invokeService<T>(appId: string, method: 'GET' | 'POST', path: string, body?: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
        const target = `/v1.0/invoke/${encodeURIComponent(appId)}/method/${path.replace(/^\/+/, '')}`;
        const response = await sidecar.request(method, target, body, `${method} ${target}`, options.timeoutMs);
        const text = await response.text();
        return (text === '' ? undefined : JSON.parse(text)) as T;
      },
    });

    const observability = createObservability(service);
    const app = express();
    app.disable('x-powered-by');
    app.use(observability.httpMetrics);
    app.use(
      createOperationalRouter({
        registry: observability.registry,
        checks: {
          accepting: async () => {
            if (stopping) throw new Error('shutting down');
          },
          database: async () => void (await prisma.$queryRaw`SELECT 1`),
          sidecar: async () => void (await sidecar.request('GET', '/v1.0/healthz/outbound')),
          sidecarHandshake: async () => {
            const refused = handshakes.rejected;
            if (refused && !handshakes.accepted.has(refused)) {
              throw new Error(`daprd was refused at ${refused}: APP_API_TOKEN does not match dapr.io/app-token-secret`);
            }
          },
          ...parts.readiness,
        },
      }),
    );
    if (actorHost) app.use(actorHost.router);
    app.use(pubsub.router);
    parts.mount?.(app);
    app.use(notFoundHandler);
    app.use(errorMiddleware(logger));

    await actorHost?.start();
    closers.unshift(async () => actorHost?.stop());
    await relay.start();
    closers.unshift(() => relay.stop());
    await pubsub.start();
    await parts.start?.();
    if (parts.stop) closers.unshift(parts.stop);
    closers.unshift(() => pubsub.stop());

    const server = await listen(app, settings.PORT, settings.HOST);
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
    logger.info({ event: `${service}.listening`, url, daprHttpUrl, hostsActors: Boolean(actorHost) }, `${service} listening on ${url}`);

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        stopping = true;
        logger.info({ event: `${service}.stopping` }, `${service} stopping`);
        // Deliveries stop first (new ones are answered RETRY) while the port still serves the actor calls they make.
        await runClosers(closers, logger, service);
        await closeServer(server, settings.SHUTDOWN_TIMEOUT_SECONDS * 1000);
        await database.close();
        logger.info({ event: `${service}.stopped` }, `${service} stopped`);
      })());
    return { url, app, database, logger, stop };
  } catch (error) {
    await runClosers([...closers, () => database.close()], logger, service);
    throw error;
  }
}

async function prepareSchema(database: Database, options: DaprServiceOptions, logger: Logger): Promise<void> {
  if (options.migrations === 'apply') {
    const { applied } = await migrateDatabase(database);
    logger.info({ event: `${options.service}.migrated`, applied }, `database schema current (${applied.length} applied)`);
    return;
  }
  const deadline = Date.now() + (options.migrationWaitTimeoutMs ?? 600_000);
  let logged = false;
  for (;;) {
    const pending = await pendingMigrations(database);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`The database schema is behind (${pending.join(', ')}); the migrating deployable did not apply it.`);
    if (!logged) logger.info({ event: `${options.service}.waiting_for_migrations`, pending }, 'waiting for the schema migrations');
    logged = true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function runClosers(closers: (() => Promise<void>)[], logger: Logger, service: string): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      // Keep closing the rest: one failing part must not keep the database or the port open.
      logger.warn({ event: `${service}.stop_failed`, err: error }, 'a part failed to stop');
    }
  }
}

/**
 * daprd keeps idle app connections for 90 s; Node closes them after 5 s by default, and a request daprd writes
 * onto a connection Node is closing fails with an EOF daprd cannot retry. So idle connections live longer here.
 */
const appKeepAliveTimeoutMs = 95_000;

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.keepAliveTimeout = appKeepAliveTimeoutMs;
    server.headersTimeout = appKeepAliveTimeoutMs + 1_000;
    server.on('error', reject);
  });
}

/** Stops accepting, lets in-flight requests finish, then cuts what is left at the deadline. */
async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  deadline.unref();
  await closed;
  clearTimeout(deadline);
}
