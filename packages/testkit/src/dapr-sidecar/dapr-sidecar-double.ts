import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { AppChannel } from './app-channel.ts';
import { SidecarActors, type ReminderDelivery, type RetryPolicy } from './sidecar-actors.ts';
import { DurationError, parseDueTime, parseDuration } from './sidecar-durations.ts';
import { invokeHttpBinding, type HttpBindingComponent } from './sidecar-http-binding.ts';
import { SidecarPubSub, type AppSubscription, type MessageDelivery, type PublishedMessage, type StreamSettings } from './sidecar-pub-sub.ts';

export interface BindingCall {
  name: string;
  operation: string;
  data: unknown;
  metadata: Record<string, string>;
}

export interface DaprSidecarDoubleOptions {
  appId?: string;
  port?: number;
  /** Required from the app on /v1.0 calls when set (the app's DAPR_API_TOKEN). */
  apiToken?: string;
  /** Sent to the app as `dapr-api-token` (the app's APP_API_TOKEN). */
  appApiToken?: string;
  /** Reminder failure policy; Dapr's Scheduler default is 1 s × 3 then the tick is dropped. */
  reminderRetry?: Partial<RetryPolicy>;
  /**
   * The Resiliency inbound retry policy for messages the app answered RETRY or an error to. Default: none, as
   * without a Resiliency resource; what happens after it depends on `pubsub.semantics`.
   */
  pubsubRetry?: RetryPolicy;
  /** Redis Streams behaviour (default: 1.17 semantics, 10 workers, processingTimeout 60 s, reclaim check 15 s). */
  pubsub?: Partial<Omit<StreamSettings, 'inboundRetry'>>;
  /** Reminders fire on the second their due time falls in, up to 1 s early (Dapr 1.15.0–1.15.11). */
  roundReminderDueTimesDown?: boolean;
  /** Deliver every successful reminder tick this many extra times (at-least-once duplicates). */
  duplicateReminderDeliveries?: number;
  /** Send timer ticks with `callback: ""`, as a tick forwarded to another host does (dapr #10088). */
  blankTimerCallbacks?: boolean;
  /** Overrides the app's `actorIdleTimeout` from /dapr/config. */
  actorIdleTimeoutMs?: number;
  /**
   * Service invocation targets (`/v1.0/invoke/{appId}/method/...`): other app ids by base URL, with the app token
   * their sidecar would send. This double's own app id always reaches the connected app.
   */
  invocationTargets?: Record<string, { url: string; appApiToken?: string }>;
  /** `bindings.http` components by name: calls to them are made for real, as daprd's HTTP binding makes them. */
  httpBindings?: Record<string, HttpBindingComponent>;
  /** Answers calls to other output bindings (default: 200 with an empty body). */
  bindingResponder?: (call: BindingCall) => { statusCode: number; body?: unknown } | Promise<{ statusCode: number; body?: unknown }>;
}

export interface DaprSidecarDouble {
  /** Base URL for the app's DaprClient / adapters (`http://127.0.0.1:<port>`). */
  url: string;
  port: number;
  /** Points the double at the app: calls GET /dapr/config and GET /dapr/subscribe, then delivers staged work. */
  connectApp(appUrl: string): Promise<void>;
  /** The app went away (a restart): reminders and messages wait until connectApp is called again. */
  disconnectApp(): void;
  /**
   * The app id now runs as these instances (a scale or a rollout, each new pod's daprd calling its /dapr/config and
   * /dapr/subscribe): actors placed elsewhere now are deactivated on their old instance first, unless
   * `loseDeactivations` (a lost DELETE); their next call activates them where placement puts them.
   */
  scaleApp(instanceUrls: string[], options?: { loseDeactivations?: boolean }): Promise<void>;
  /**
   * daprd restarts under a live app: its actor table and timers are gone (no DELETE reaches the app), reminders,
   * state and the streams stay; the new daprd calls /dapr/config and /dapr/subscribe again.
   */
  restartSidecar(): Promise<void>;
  /** The next `count` reminder registrations fail with 500 (the Scheduler unreachable). */
  failReminderRegistrations(count: number): void;
  /** Moves reminders and timers `ms` closer (pair it with the app's offset clock); what is due fires now. */
  advanceTime(ms: number): void;
  /** Deactivates an actor as daprd does on idle or rebalance (`DELETE /actors/T/I`). */
  deactivate(actorType: string, actorId: string): Promise<void>;
  stop(): Promise<void>;
  readonly appConfig: Record<string, unknown> | null;
  readonly subscriptions: AppSubscription[];
  readonly published: PublishedMessage[];
  readonly deliveries: MessageDelivery[];
  readonly reminderDeliveries: ReminderDelivery[];
  readonly bindingCalls: BindingCall[];
  /** Registered reminders (`type||id||name` → entry); `dueTime` as the app sent it. */
  reminders(): { actorType: string; actorId: string; name: string; data: unknown; dueAt: number; dueTime: string }[];
  timers(): { actorType: string; actorId: string; name: string; data: unknown; dueAt: number }[];
  /** An actor's stored state, parsed. */
  actorState(actorType: string, actorId: string): Record<string, unknown>;
  /** Writes one key of an actor's state into the store, as a turn on another pod's daprd would. */
  writeActorState(actorType: string, actorId: string, key: string, value: unknown): void;
}

type ActorParams = { type: string; id: string; name: string; method: string };

/**
 * A Dapr sidecar test double: serves the documented /v1.0 endpoints the app and `@dapr/dapr`'s DaprClient use
 * (research/dapr.md §2.2, §6.1) and drives the app's actor and subscription routes the way daprd does.
 */
export async function startDaprSidecarDouble(options: DaprSidecarDoubleOptions = {}): Promise<DaprSidecarDouble> {
  const appId = options.appId ?? 'app';
  const channel = new AppChannel(appId, options.appApiToken);
  const actors = new SidecarActors({
    appId,
    channel,
    reminderRetry: { intervalMs: 1_000, maxRetries: 3, ...options.reminderRetry },
    duplicateReminderDeliveries: options.duplicateReminderDeliveries ?? 0,
    blankTimerCallbacks: options.blankTimerCallbacks ?? false,
  });
  const pubSub = new SidecarPubSub(appId, channel, {
    semantics: '1.17',
    concurrency: 10,
    processingTimeoutMs: 60_000,
    redeliverIntervalMs: 15_000,
    ...options.pubsub,
    inboundRetry: options.pubsubRetry,
  });
  const bindingCalls: BindingCall[] = [];
  let appConfig: Record<string, unknown> | null = null;
  let failingReminderRegistrations = 0;

  const app = express();
  const raw = express.raw({ type: () => true, limit: '16mb' });
  const fail = (response: Response, status: number, errorCode: string, message: string) => void response.status(status).json({ errorCode, message });

  app.get('/v1.0/healthz', (_request, response) => void response.status(204).end());
  app.get('/v1.0/healthz/outbound', (_request, response) => void response.status(204).end());
  app.use('/v1.0', (request, response, next) => {
    if (!options.apiToken || request.get('dapr-api-token') === options.apiToken) return next();
    fail(response, 401, 'ERR_API_TOKEN', 'invalid api token');
  });
  app.use('/v1.0-alpha1', (request, response, next) => {
    if (!options.apiToken || request.get('dapr-api-token') === options.apiToken) return next();
    fail(response, 401, 'ERR_API_TOKEN', 'invalid api token');
  });

  app.get('/v1.0/metadata', (_request, response) => {
    response.json({
      id: appId,
      runtimeVersion: '1.17.0-test-double',
      actors: [...actors.hostedTypes].map((type) => ({ type, count: actors.activeCount(type) })),
      components: [{ name: 'pubsub', type: 'pubsub.in-memory', version: 'v1' }],
      subscriptions: pubSub.subscriptions.map((entry) => ({ pubsubname: entry.pubsubname, topic: entry.topic })),
      extended: {},
    });
  });

  app.all('/v1.0/actors/:type/:id/method/:method', raw, async (request: Request<ActorParams>, response: Response) => {
    const { type, id, method } = request.params;
    if (!actors.hostedTypes.has(type)) {
      return fail(response, 500, 'ERR_ACTOR_INVOKE_METHOD', `error invoke actor method: did not find address for actor ${type}/${id}`);
    }
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
    try {
      const answer = await actors.turn(type, id, () =>
        channel.call(
          'PUT',
          `/actors/${encodeURIComponent(type)}/${encodeURIComponent(id)}/method/${encodeURIComponent(method)}`,
          body ? { text: body, contentType: request.get('content-type') ?? 'application/json' } : undefined,
        ),
      );
      if (answer.status === 200) {
        response
          .status(200)
          .type(answer.contentType ?? 'application/json')
          .send(answer.text);
        return;
      }
      // daprd answers 500 for every failure; an app's 404 (no such method) arrives without the app's body.
      const message = `error invoke actor method: error from actor service: (${answer.status}) ${answer.status === 404 ? '' : answer.text}`;
      fail(response, 500, 'ERR_ACTOR_INVOKE_METHOD', message);
    } catch (error) {
      fail(response, 500, 'ERR_ACTOR_INVOKE_METHOD', `error invoke actor method: ${(error as Error).message}`);
    }
  });

  app.get('/v1.0/actors/:type/:id/state/:name', (request: Request<ActorParams>, response: Response) => {
    const stored = actors.state.get(actors.stateKey(request.params.type, request.params.id, request.params.name));
    if (stored === undefined) return void response.status(204).end();
    response.status(200).type('application/json').send(stored);
  });

  const stateTransaction = (request: Request<ActorParams>, response: Response) => {
    const { type, id } = request.params;
    if (!actors.isActive(type, id)) {
      return fail(response, 400, 'ERR_ACTOR_INSTANCE_MISSING', `actor instance is missing: ${type}/${id}`);
    }
    let operations: { operation: string; request: { key: string; value?: unknown } }[];
    try {
      operations = JSON.parse(request.body.toString('utf8'));
      if (!Array.isArray(operations)) throw new Error('not an array');
    } catch {
      return fail(response, 400, 'ERR_MALFORMED_REQUEST', 'failed to parse the state transaction');
    }
    for (const entry of operations) {
      if ((entry.operation !== 'upsert' && entry.operation !== 'delete') || typeof entry.request?.key !== 'string') {
        return fail(response, 400, 'ERR_MALFORMED_REQUEST', `invalid operation ${JSON.stringify(entry)}`);
      }
    }
    // Applied all together: the validation above ran first, so the transaction cannot half-apply.
    for (const entry of operations) {
      const key = actors.stateKey(type, id, entry.request.key);
      if (entry.operation === 'delete') actors.state.delete(key);
      else actors.state.set(key, JSON.stringify(entry.request.value ?? null));
    }
    response.status(204).end();
  };
  app.post('/v1.0/actors/:type/:id/state', raw, stateTransaction);
  app.put('/v1.0/actors/:type/:id/state', raw, stateTransaction);

  const scheduled = (kind: 'timer' | 'reminder') => (request: Request<ActorParams>, response: Response) => {
    const { type, id, name } = request.params;
    if (!actors.hostedTypes.has(type)) {
      return fail(
        response,
        403,
        kind === 'reminder' ? 'ERR_ACTOR_REMINDER_NON_HOSTED' : 'ERR_ACTOR_TIMER_CREATE',
        `actor type ${type} is not hosted by this app`,
      );
    }
    let body: { dueTime?: string; period?: string; callback?: string; data?: unknown; overwrite?: boolean };
    try {
      body = JSON.parse(request.body.toString('utf8') || '{}');
    } catch {
      return fail(response, 400, 'ERR_MALFORMED_REQUEST', 'invalid JSON');
    }
    if (kind === 'reminder' && failingReminderRegistrations > 0) {
      failingReminderRegistrations -= 1;
      return fail(response, 500, 'ERR_ACTOR_REMINDER_CREATE', 'error creating actor reminder: scheduler unavailable');
    }
    const existing = kind === 'reminder' ? actors.reminders.get(`${actors.actorKey(type, id)}||${name}`) : undefined;
    if (existing && body.overwrite === false) return fail(response, 409, 'ERR_ACTOR_REMINDER_CREATE', 'reminder already exists');
    let dueInMs: number;
    let periodMs: number;
    try {
      // An RFC3339 due time is read against the double's clock, which advanceTime moves with the app's.
      dueInMs = parseDueTime(body.dueTime, Date.now() + actors.clockOffsetMs);
      periodMs = body.period ? parseDuration(body.period) : 0;
    } catch (error) {
      if (error instanceof DurationError) return fail(response, 400, 'ERR_ACTOR_REMINDER_CREATE', error.message);
      throw error;
    }
    const exactDueAt = Date.now() + dueInMs;
    const dueAt = kind === 'reminder' && options.roundReminderDueTimesDown ? Math.floor(exactDueAt / 1_000) * 1_000 : exactDueAt;
    const entry = {
      actorType: type,
      actorId: id,
      name,
      data: body.data ?? null,
      dueTime: body.dueTime ?? '',
      period: body.period ?? '',
      dueAt,
      periodMs,
      ...(body.callback !== undefined ? { callback: body.callback } : {}),
    };
    if (kind === 'reminder') actors.setReminder(entry);
    else actors.setTimer(entry);
    response.status(204).end();
  };
  app.post('/v1.0/actors/:type/:id/reminders/:name', raw, scheduled('reminder'));
  app.put('/v1.0/actors/:type/:id/reminders/:name', raw, scheduled('reminder'));
  app.post('/v1.0/actors/:type/:id/timers/:name', raw, scheduled('timer'));
  app.put('/v1.0/actors/:type/:id/timers/:name', raw, scheduled('timer'));
  app.get('/v1.0/actors/:type/:id/reminders/:name', (request: Request<ActorParams>, response: Response) => {
    const { type, id, name } = request.params;
    const reminder = actors.reminders.get(`${actors.actorKey(type, id)}||${name}`);
    if (!reminder) return fail(response, 404, 'ERR_ACTOR_REMINDER_GET', 'reminder not found');
    response.json({ actorID: id, actorType: type, data: reminder.data, dueTime: reminder.dueTime, period: reminder.period, ttl: '' });
  });
  app.delete('/v1.0/actors/:type/:id/reminders/:name', (request: Request<ActorParams>, response: Response) => {
    actors.deleteReminder(request.params.type, request.params.id, request.params.name);
    response.status(204).end();
  });
  app.delete('/v1.0/actors/:type/:id/timers/:name', (request: Request<ActorParams>, response: Response) => {
    actors.deleteTimer(request.params.type, request.params.id, request.params.name);
    response.status(204).end();
  });

  app.all('/v1.0/invoke/:appId/method/*path', raw, async (request: Request<{ appId: string; path: string[] }>, response: Response) => {
    const { appId: target } = request.params;
    const other = options.invocationTargets?.[target];
    const targetChannel =
      target === appId ? channel : other ? Object.assign(new AppChannel(appId, other.appApiToken), { url: other.url }) : undefined;
    if (!targetChannel) return fail(response, 500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${target}: app id not found`);
    const query = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?')) : '';
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
    try {
      const answer = await targetChannel.call(
        request.method,
        `/${request.params.path.join('/')}${query}`,
        body ? { text: body, contentType: request.get('content-type') ?? 'application/json' } : undefined,
      );
      // daprd relays the app's status and body as they are.
      response.status(answer.status);
      if (answer.contentType) response.type(answer.contentType);
      response.send(answer.text);
    } catch (error) {
      fail(response, 500, 'ERR_DIRECT_INVOKE', `failed to invoke, id: ${target}: ${(error as Error).message}`);
    }
  });

  app.post('/v1.0/publish/:pubsub/:topic', raw, (request, response) => {
    try {
      pubSub.publish(request.params.pubsub, request.params.topic, request.body as Buffer, request.get('content-type'), metadataOf(request.query));
    } catch {
      return fail(response, 400, 'ERR_PUBSUB_CLOUD_EVENTS_SER', 'the message body could not be parsed');
    }
    response.status(204).end();
  });
  app.post('/v1.0-alpha1/publish/bulk/:pubsub/:topic', raw, (request, response) => {
    const entries = JSON.parse((request.body as Buffer).toString('utf8')) as { entryId: string; event: unknown; contentType: string }[];
    for (const entry of entries) {
      const body = Buffer.from(typeof entry.event === 'string' ? entry.event : JSON.stringify(entry.event));
      pubSub.publish(request.params.pubsub, request.params.topic, body, entry.contentType, metadataOf(request.query));
    }
    response.status(204).end();
  });

  const binding = async (request: Request<{ name: string }>, response: Response) => {
    const body = JSON.parse((request.body as Buffer).toString('utf8') || '{}') as Partial<BindingCall>;
    const call: BindingCall = { name: request.params.name, operation: body.operation ?? '', data: body.data ?? null, metadata: body.metadata ?? {} };
    bindingCalls.push(call);
    const component = options.httpBindings?.[call.name];
    if (component) {
      const answer = await invokeHttpBinding(call.name, component, call);
      return void response.status(answer.status).set(answer.headers).send(answer.body);
    }
    const answer = (await options.bindingResponder?.(call)) ?? { statusCode: 200 };
    if (answer.statusCode < 200 || answer.statusCode > 299) {
      // As the HTTP binding does, the target's status comes back as metadata even when the call fails.
      response.set('metadata.statusCode', String(answer.statusCode));
      return fail(
        response,
        500,
        'ERR_INVOKE_OUTPUT_BINDING',
        `error invoking output binding ${call.name}: received status code ${answer.statusCode}`,
      );
    }
    response.set('metadata.statusCode', String(answer.statusCode));
    if (answer.body === undefined) return void response.status(204).end();
    response.status(200).type('application/json').send(JSON.stringify(answer.body));
  };
  app.post('/v1.0/bindings/:name', raw, binding);
  app.put('/v1.0/bindings/:name', raw, binding);

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(listening));
  });

  /** What a daprd does once its app's port is open: GET /dapr/config, GET /dapr/subscribe, then it delivers. */
  async function handshake(instanceUrl: string): Promise<void> {
    const config = await callUntilUp(channel, '/dapr/config', instanceUrl);
    appConfig = config.status === 200 ? (JSON.parse(config.text) as Record<string, unknown>) : null;
    actors.hostedTypes = new Set((appConfig?.entities as string[] | undefined) ?? []);
    const idle =
      options.actorIdleTimeoutMs ?? (typeof appConfig?.actorIdleTimeout === 'string' ? parseDuration(appConfig.actorIdleTimeout) : 3_600_000);
    actors.startIdleDeactivation(idle);
    const subscribe = await channel.call('GET', '/dapr/subscribe', undefined, instanceUrl);
    pubSub.subscriptions = subscribe.status === 200 ? (JSON.parse(subscribe.text) as AppSubscription[]) : [];
    actors.releaseStaged();
    pubSub.pump();
  }
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get appConfig() {
      return appConfig;
    },
    get subscriptions() {
      return pubSub.subscriptions;
    },
    published: pubSub.published,
    deliveries: pubSub.deliveries,
    reminderDeliveries: actors.reminderDeliveries,
    bindingCalls,
    async connectApp(appUrl: string) {
      const url = appUrl.replace(/\/+$/, '');
      channel.url = url;
      await handshake(url);
    },
    disconnectApp() {
      channel.url = undefined;
    },
    async scaleApp(instanceUrls, scaleOptions = {}) {
      const before = [...channel.urls];
      const after = instanceUrls.map((url) => url.replace(/\/+$/, ''));
      await actors.rebalance(before, after, scaleOptions.loseDeactivations ?? false);
      channel.urls = after;
      for (const url of after.filter((candidate) => !before.includes(candidate))) await handshake(url);
      pubSub.pump();
    },
    async restartSidecar() {
      actors.forgetOnRestart();
      pubSub.forgetSubscriptions();
      for (const url of channel.urls) await handshake(url);
    },
    failReminderRegistrations(count) {
      failingReminderRegistrations = count;
    },
    advanceTime: (ms) => actors.advanceTime(ms),
    deactivate: (actorType, actorId) => actors.deactivate(actorType, actorId),
    async stop() {
      actors.stop();
      pubSub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    reminders: () =>
      [...actors.reminders.values()].map(({ actorType, actorId, name, data, dueAt, dueTime }) => ({
        actorType,
        actorId,
        name,
        data,
        dueAt,
        dueTime,
      })),
    timers: () => [...actors.timers.values()].map(({ actorType, actorId, name, data, dueAt }) => ({ actorType, actorId, name, data, dueAt })),
    writeActorState(actorType, actorId, key, value) {
      actors.state.set(actors.stateKey(actorType, actorId, key), JSON.stringify(value));
    },
    actorState(actorType, actorId) {
      const prefix = actors.stateKey(actorType, actorId, '');
      return Object.fromEntries(
        [...actors.state].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), JSON.parse(value)]),
      );
    },
  };
}

function metadataOf(query: Request['query']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query)
      .filter(([key]) => key.startsWith('metadata.'))
      .map(([key, value]) => [key.slice('metadata.'.length), String(value)]),
  );
}

/** daprd waits for the app port before its first call; so does the double (up to 10 s). */
async function callUntilUp(channel: AppChannel, path: string, instanceUrl: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await channel.call('GET', path, undefined, instanceUrl);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
