import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLocalPubSub, type LocalPubSub } from '@app/runtime/local';
import { createLogger } from '@app/runtime/service';
import { createLiveUpdates, createMailer, createTenantApi, sandboxEgressSubscription, type LiveUpdates } from '../src/index.ts';
import type { ReplayBufferLimits } from '../src/live/live-channel.ts';
import type { LiveStreamSettings } from '../src/live/live-stream.ts';
import type { SignedInTenant, TenantApiHarness } from './tenant-api-harness.ts';

export const redisUrl = 'redis://127.0.0.1:6379';

/** One tenant-api "replica": the API with live updates on its own HTTP server and its own outbox pub/sub. */
export interface LiveServer {
  url: string;
  live: LiveUpdates;
  pubsub: LocalPubSub;
  stop(): Promise<void>;
}

export async function startLiveServer(
  harness: TenantApiHarness,
  options: { redisUrl?: string; keyPrefix?: string; stream?: Partial<LiveStreamSettings>; limits?: ReplayBufferLimits; watchLingerMs?: number } = {},
): Promise<LiveServer> {
  const logger = createLogger({ service: 'live-test', level: 'silent' });
  const prisma = harness.database.prisma;
  const live = createLiveUpdates({ prisma, logger, clock: harness.clock, ...options });
  const pubsub = createLocalPubSub({ prisma, logger, pollIntervalMs: 50 });
  for (const subscription of live.subscriptions) pubsub.subscribe(subscription);
  pubsub.subscribe(sandboxEgressSubscription({ prisma, logger, clock: harness.clock }));
  const app = express();
  app.use(
    '/api',
    createTenantApi({
      prisma,
      logger,
      clock: harness.clock,
      config: harness.config,
      mailer: createMailer({ smtpUrl: harness.config.SMTP_URL, from: harness.config.MAIL_FROM }),
      aiStatus: () => ({ enabled: false, reason: 'test' }),
      live,
    }),
  );
  await pubsub.start();
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    live,
    pubsub,
    stop: () =>
      (stopped ??= (async () => {
        await live.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pubsub.stop();
      })()),
  };
}

/** Calls the API of `server` as `tenant`. */
export async function callApi<T = Record<string, unknown>>(
  server: { url: string },
  tenant: SignedInTenant | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(tenant ? { authorization: tenant.bearer } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function issueTicket(server: { url: string }, tenant: SignedInTenant): Promise<string> {
  const issued = await callApi<{ ticket: string }>(server, tenant, 'POST', '/api/live/tickets');
  if (issued.status !== 201) throw new Error(`ticket: ${issued.status} ${JSON.stringify(issued.body)}`);
  return issued.body.ticket;
}

export async function createSandboxInstance(server: { url: string }, tenant: SignedInTenant): Promise<string> {
  const created = await callApi<{ id: string }>(server, tenant, 'POST', '/api/instances', { provider: 'SANDBOX', name: 'Live test' });
  if (created.status !== 201) throw new Error(`instance: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** A customer message through the sandbox ingress; returns its ids. */
export async function sendCustomerMessage(server: { url: string }, tenant: SignedInTenant, instanceId: string, text: string, from = '+34600111222') {
  const sent = await callApi<{ messageId: string; conversationId: string; contactId: string }>(
    server,
    tenant,
    'POST',
    `/api/sandbox/${instanceId}/messages`,
    { from, text },
  );
  if (sent.status !== 202) throw new Error(`sandbox message: ${sent.status} ${JSON.stringify(sent.body)}`);
  return sent.body;
}
