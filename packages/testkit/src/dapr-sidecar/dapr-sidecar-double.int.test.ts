import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expectEventually } from '../expect-eventually.ts';
import { startDaprSidecarDouble, type DaprSidecarDouble, type DaprSidecarDoubleOptions } from './dapr-sidecar-double.ts';

/** A bare app as daprd sees it: scripted answers per delivered event id, actor routes that say what they got. */
interface ScriptedApp {
  url: string;
  /** Event ids in the order the app received them (a redelivery shows twice). */
  received: string[];
  running: number;
  answers: Map<string, ('SUCCESS' | 'RETRY' | 500)[]>;
  holdMs: number;
  reminderStatus: number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApp(topics: string[]): Promise<ScriptedApp> {
  const state: ScriptedApp = { url: '', received: [], running: 0, answers: new Map(), holdMs: 0, reminderStatus: 200 };
  const app = express();
  app.get('/dapr/config', (_request, response) => void response.json({ entities: ['Probe'] }));
  app.get(
    '/dapr/subscribe',
    (_request, response) => void response.json(topics.map((topic) => ({ pubsubname: 'pubsub', topic, route: `/events/${topic}` }))),
  );
  app.post('/events/:topic', express.json({ type: () => true }), async (request, response) => {
    const id = (request.body as { data: { id: string } }).data.id;
    state.received.push(id);
    state.running += 1;
    if (id.startsWith('slow')) await new Promise((resolve) => setTimeout(resolve, state.holdMs));
    state.running -= 1;
    const answer = state.answers.get(id)?.shift() ?? 'SUCCESS';
    if (answer === 500) return void response.status(500).end();
    response.json({ status: answer });
  });
  app.put('/actors/Probe/:id/method/remind/:name', (_request, response) => void response.status(state.reminderStatus).end());
  app.put('/actors/Probe/:id/method/:method', (request, response) => {
    if (request.params.method === 'known') return void response.status(200).json('ok');
    response.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such method', details: null } });
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

async function startSidecar(options: DaprSidecarDoubleOptions = {}): Promise<DaprSidecarDouble> {
  const sidecar = await startDaprSidecarDouble(options);
  cleanups.push(() => sidecar.stop());
  return sidecar;
}

const publish = (sidecar: DaprSidecarDouble, topic: string, id: string) =>
  fetch(`${sidecar.url}/v1.0/publish/pubsub/${topic}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
const outcomes = (sidecar: DaprSidecarDouble) => sidecar.deliveries.map((delivery) => delivery.outcome);

describe('the sidecar double behaves like daprd on Redis Streams', () => {
  it('1.17: acknowledges a message answered RETRY or 500 without redelivering it (no Resiliency, no dead-letter topic)', async () => {
    const sidecar = await startSidecar({ pubsub: { semantics: '1.17' } });
    const app = await startApp(['orders']);
    app.answers.set('a', ['RETRY']);
    app.answers.set('b', [500]);
    await sidecar.connectApp(app.url);
    await publish(sidecar, 'orders', 'a');
    await publish(sidecar, 'orders', 'b');
    await expectEventually(() => expect(outcomes(sidecar).filter((outcome) => outcome === 'ACKED_UNDELIVERED')).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.received.sort()).toEqual(['a', 'b']);
  });

  it('1.17: retries by the Resiliency inbound policy only', async () => {
    const sidecar = await startSidecar({ pubsubRetry: { intervalMs: 20, maxRetries: 2 } });
    const app = await startApp(['orders']);
    app.answers.set('a', ['RETRY', 'RETRY', 'RETRY']);
    await sidecar.connectApp(app.url);
    await publish(sidecar, 'orders', 'a');
    await expectEventually(() => expect(outcomes(sidecar)).toEqual(['RETRY', 'RETRY', 'RETRY', 'ACKED_UNDELIVERED']));
  });

  it('1.16: leaves a RETRY pending and delivers it again once older than processingTimeout', async () => {
    const sidecar = await startSidecar({ pubsub: { semantics: '1.16', processingTimeoutMs: 200, redeliverIntervalMs: 50 } });
    const app = await startApp(['orders']);
    app.answers.set('a', ['RETRY']);
    await sidecar.connectApp(app.url);
    const started = Date.now();
    await publish(sidecar, 'orders', 'a');
    await expectEventually(() => expect(app.received).toEqual(['a', 'a']));
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expectEventually(() => expect(outcomes(sidecar)).toEqual(['RETRY', 'LEFT_PENDING', 'SUCCESS']));
  });

  it('delivers through a pool of workers shared by all topics: a held delivery makes the other topics wait', async () => {
    const sidecar = await startSidecar({ pubsub: { concurrency: 1 } });
    const app = await startApp(['slow', 'fast']);
    app.holdMs = 400;
    await sidecar.connectApp(app.url);
    await publish(sidecar, 'slow', 'slow-1');
    await publish(sidecar, 'fast', 'fast-1');
    await expectEventually(() => expect(app.running).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.received).toEqual(['slow-1']);
    await expectEventually(() => expect(app.received).toEqual(['slow-1', 'fast-1']));
  });

  it('reclaims a delivery held past processingTimeout and delivers it again while the first still runs', async () => {
    const sidecar = await startSidecar({ pubsub: { concurrency: 2, processingTimeoutMs: 300, redeliverIntervalMs: 50 } });
    const app = await startApp(['slow']);
    app.holdMs = 1_500;
    await sidecar.connectApp(app.url);
    await publish(sidecar, 'slow', 'slow-1');
    await expectEventually(() => expect(app.running).toBe(2));
    expect(app.received).toEqual(['slow-1', 'slow-1']);
  });

  it('keeps messages published before anyone subscribed and delivers them to the first subscriber', async () => {
    const sidecar = await startSidecar();
    await publish(sidecar, 'orders', 'early');
    const app = await startApp(['orders']);
    await sidecar.connectApp(app.url);
    await expectEventually(() => expect(app.received).toEqual(['early']));
  });
});

describe('the sidecar double behaves like daprd for actors', () => {
  it('turns the app’s 404 for an unknown method into a 500 without the app’s body', async () => {
    const sidecar = await startSidecar();
    const app = await startApp([]);
    await sidecar.connectApp(app.url);
    const unknown = await fetch(`${sidecar.url}/v1.0/actors/Probe/1/method/missing`, { method: 'POST' });
    expect(unknown.status).toBe(500);
    const body = (await unknown.json()) as { errorCode: string; message: string };
    expect(body.errorCode).toBe('ERR_ACTOR_INVOKE_METHOD');
    expect(body.message).not.toContain('no such method');
    expect((await fetch(`${sidecar.url}/v1.0/actors/Probe/1/method/known`, { method: 'POST' })).status).toBe(200);
  });

  it('counts a reminder callback answered 404 as failed: retried, then that tick dropped', async () => {
    const sidecar = await startSidecar({ reminderRetry: { intervalMs: 20, maxRetries: 3 } });
    const app = await startApp([]);
    app.reminderStatus = 404;
    await sidecar.connectApp(app.url);
    await fetch(`${sidecar.url}/v1.0/actors/Probe/1/reminders/r`, { method: 'PUT', body: JSON.stringify({ dueTime: '0s' }) });
    await expectEventually(() =>
      expect(sidecar.reminderDeliveries.map((delivery) => delivery.outcome)).toEqual(['failed', 'failed', 'failed', 'dropped']),
    );
  });

  it('refuses reminder registrations while the Scheduler is unreachable', async () => {
    const sidecar = await startSidecar();
    const app = await startApp([]);
    await sidecar.connectApp(app.url);
    sidecar.failReminderRegistrations(1);
    const register = () => fetch(`${sidecar.url}/v1.0/actors/Probe/1/reminders/r`, { method: 'PUT', body: JSON.stringify({ dueTime: '1h' }) });
    expect((await register()).status).toBe(500);
    expect((await register()).status).toBe(204);
  });

  it('fires reminders up to a second early when due times are rounded down (Dapr 1.15.0–1.15.11)', async () => {
    const sidecar = await startSidecar({ roundReminderDueTimesDown: true });
    const app = await startApp([]);
    await sidecar.connectApp(app.url);
    const dueAt = new Date(Math.floor(Date.now() / 1_000) * 1_000 + 2_900);
    await fetch(`${sidecar.url}/v1.0/actors/Probe/1/reminders/r`, { method: 'PUT', body: JSON.stringify({ dueTime: dueAt.toISOString() }) });
    expect(sidecar.reminders()[0]!.dueAt).toBe(dueAt.getTime() - 900);
  });
});
