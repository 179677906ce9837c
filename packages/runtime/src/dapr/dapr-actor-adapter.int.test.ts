import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { placementOf, startDaprSidecarDouble, type DaprSidecarDouble } from '@app/testkit/dapr-sidecar';
import express from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPublisher } from '../ports/pub-sub.ts';
import { contractActorType, createContractCounterActor, DeliveryRecorder, type CounterState } from '@app/runtime/test-support';
import { expectEventually } from '@app/testkit';
import { createDaprActorHost, pendingEffectsKey } from './dapr-actor-host.ts';

const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApp(
  sidecar: DaprSidecarDouble,
  publisher: EventPublisher,
  recorder = new DeliveryRecorder(),
  options: { connect?: boolean; onHandshake?: (path: string, accepted: boolean) => void } = {},
) {
  const host = createDaprActorHost({ daprHttpUrl: sidecar.url, publisher, logger, appApiToken: 'app-token', onHandshake: options.onHandshake });
  host.register(createContractCounterActor(recorder));
  const app = express();
  app.use(host.router);
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    sidecar.disconnectApp();
    await host.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  cleanups.push(stop);
  if (options.connect ?? true) await sidecar.connectApp(url);
  return { host, url, stop };
}

async function startSidecar(options: Parameters<typeof startDaprSidecarDouble>[0] = {}) {
  const sidecar = await startDaprSidecarDouble({ appApiToken: 'app-token', ...options });
  cleanups.push(() => sidecar.stop());
  return sidecar;
}

const published: string[] = [];
const publisher: EventPublisher = { publish: async (_topic, event) => void published.push(event.id) };

describe('createDaprActorHost (adapter specifics)', () => {
  it('announces its actor types in /dapr/config and refuses callers without the app token', async () => {
    const sidecar = await startSidecar();
    const { url } = await startApp(sidecar, publisher);
    expect(sidecar.appConfig).toMatchObject({
      entities: [contractActorType],
      actorIdleTimeout: '30m',
      // Longer than daprd's placement dissemination allows cancels calls or wedges placement (research Corrections).
      drainOngoingCallTimeout: '3s',
      reentrancy: { enabled: false },
    });
    expect((await fetch(`${url}/dapr/config`)).status).toBe(401);
    const wrong = await fetch(`${url}/actors/${contractActorType}/x/method/snapshot`, { method: 'PUT', headers: { 'dapr-api-token': 'nope' } });
    expect(wrong.status).toBe(401);
  });

  it('answers 200 to the deactivation of an actor it never activated (no crash loop after an app restart)', async () => {
    const sidecar = await startSidecar();
    const { url } = await startApp(sidecar, publisher);
    const response = await fetch(`${url}/actors/${contractActorType}/never-seen`, { method: 'DELETE', headers: { 'dapr-api-token': 'app-token' } });
    expect(response.status).toBe(200);
  });

  it('dispatches timer ticks by name even when daprd sends callback:"" (dapr #10088)', async () => {
    const sidecar = await startSidecar({ blankTimerCallbacks: true });
    const { host } = await startApp(sidecar, publisher);
    await host.invoke(contractActorType, 'timer-actor', 'timerIn', { name: 'flush', inMs: 20, token: 'tick' });
    await expectEventually(async () =>
      expect((await host.invoke<CounterState>(contractActorType, 'timer-actor', 'snapshot')).fired).toEqual(['tick']),
    );
  });

  it('sends reminders with an RFC3339 due time (never days) and the reminder name inside the data', async () => {
    const sidecar = await startSidecar();
    const { host } = await startApp(sidecar, publisher);
    const before = Date.now();
    await host.invoke(contractActorType, 'named', 'remindIn', { name: 'window-close', inMs: 60 * 60 * 1000 * 30, token: 'later' });
    const [reminder] = sidecar.reminders();
    expect(reminder).toMatchObject({ name: 'window-close', data: { name: 'window-close', data: { token: 'later', fail: false } } });
    expect(reminder!.dueTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(reminder!.dueTime) - before).toBeGreaterThanOrEqual(30 * 60 * 60 * 1000);
  });

  it('registers a reminder whose registration failed after the turn, without waiting for another call to the actor', async () => {
    const sidecar = await startSidecar();
    const { host } = await startApp(sidecar, publisher);
    sidecar.failReminderRegistrations(2);
    await host.invoke(contractActorType, 'lonely', 'remindIn', { name: 'flush', inMs: 60_000, token: 'eventually' });
    expect(sidecar.reminders()).toEqual([]);
    // Retried at 1 s and 2 s through the sidecar (wherever the actor lives), then the recorded effects are cleared.
    await expectEventually(() => expect(sidecar.reminders().map((entry) => entry.name)).toEqual(['flush']), { timeoutMs: 6_000 });
    await expectEventually(() => expect(sidecar.actorState(contractActorType, 'lonely')[pendingEffectsKey]).toBeUndefined());
  });

  it('registers such a reminder even when the app died before retrying: a daprd timer carries the retry', async () => {
    const sidecar = await startSidecar();
    const first = await startApp(sidecar, publisher);
    sidecar.failReminderRegistrations(1);
    await first.host.invoke(contractActorType, 'orphan', 'remindIn', { name: 'flush', inMs: 60_000, token: 'after-restart' });
    expect(sidecar.timers().map((entry) => entry.name)).toEqual(['_applyPendingEffects']);
    await first.stop(); // its own retry dies with it
    await startApp(sidecar, publisher);
    await expectEventually(() => expect(sidecar.reminders().map((entry) => entry.name)).toEqual(['flush']), { timeoutMs: 6_000 });
    await expectEventually(() => expect(sidecar.timers()).toEqual([]));
    expect(sidecar.actorState(contractActorType, 'orphan')[pendingEffectsKey]).toBeUndefined();
  });

  it('starts a turn from the committed state after the actor ran on another instance and its DELETE was lost', async () => {
    const sidecar = await startSidecar();
    const first = await startApp(sidecar, publisher, undefined, { connect: false });
    const second = await startApp(sidecar, publisher, undefined, { connect: false });
    await sidecar.scaleApp([first.url]);
    let id = 'wanderer-0';
    for (let index = 1; placementOf([first.url, second.url], contractActorType, id) !== second.url; index++) id = `wanderer-${index}`;
    expect(await first.host.invoke(contractActorType, id, 'increment', { by: 1 })).toBe(1);
    await sidecar.scaleApp([first.url, second.url], { loseDeactivations: true });
    expect(await first.host.invoke(contractActorType, id, 'increment', { by: 10 })).toBe(11); // ran on the second instance
    await sidecar.scaleApp([first.url], { loseDeactivations: true });
    // The first instance never heard that the actor left: a cached state of 1 would make this 2 and lose the 10.
    expect(await first.host.invoke(contractActorType, id, 'increment', { by: 1 })).toBe(12);
  });

  it('starts from the committed state after daprd restarted under the live app', async () => {
    const sidecar = await startSidecar();
    const { host } = await startApp(sidecar, publisher);
    expect(await host.invoke(contractActorType, 'survivor', 'increment', { by: 1 })).toBe(1);
    await sidecar.restartSidecar();
    // Another pod's turn committed meanwhile (written straight into the store, as its daprd would).
    sidecar.writeActorState(contractActorType, 'survivor', 'counter', { count: 5, log: [], fired: [] });
    expect(await host.invoke(contractActorType, 'survivor', 'increment', { by: 1 })).toBe(6);
  });

  it('reports a refused /dapr/config loudly: daprd would otherwise host no actors here without a word', async () => {
    const sidecar = await startSidecar({ appApiToken: 'not-the-app-token' });
    const rejected: string[] = [];
    const { url } = await startApp(sidecar, publisher, undefined, {
      connect: false,
      onHandshake: (path, accepted) => void (accepted || rejected.push(path)),
    });
    await sidecar.connectApp(url);
    expect(sidecar.appConfig).toBeNull();
    expect(rejected).toEqual(['/dapr/config']);
  });

  it('re-applies the effects of a committed turn that did not reach the sidecar, on the next activation', async () => {
    const sidecar = await startSidecar();
    const failing: EventPublisher = { publish: async () => Promise.reject(new Error('sidecar publish unavailable')) };
    const first = await startApp(sidecar, failing);
    await first.host.invoke(contractActorType, 'effects', 'publishEvent', { eventId: 'survives-a-crash' });
    expect(sidecar.actorState(contractActorType, 'effects')[pendingEffectsKey]).toMatchObject({ events: [{ event: { id: 'survives-a-crash' } }] });
    await first.stop();
    const second = await startApp(sidecar, publisher);
    expect(published).not.toContain('survives-a-crash');
    await second.host.invoke(contractActorType, 'effects', 'snapshot');
    expect(published).toContain('survives-a-crash');
    expect(sidecar.actorState(contractActorType, 'effects')[pendingEffectsKey]).toBeUndefined();
  });
});

describe('startDaprSidecarDouble', () => {
  it('refuses actor state writes outside an active actor and reminder periods in days', async () => {
    const sidecar = await startSidecar();
    await startApp(sidecar, publisher);
    const state = await fetch(`${sidecar.url}/v1.0/actors/${contractActorType}/idle/state`, {
      method: 'POST',
      body: JSON.stringify([{ operation: 'upsert', request: { key: 'k', value: 1 } }]),
    });
    expect(state.status).toBe(400);
    expect(await state.json()).toMatchObject({ errorCode: 'ERR_ACTOR_INSTANCE_MISSING' });
    const days = await fetch(`${sidecar.url}/v1.0/actors/${contractActorType}/idle/reminders/r`, {
      method: 'PUT',
      body: JSON.stringify({ dueTime: '1s', period: 'P1D' }),
    });
    expect(days.status).toBe(400);
    const notHosted = await fetch(`${sidecar.url}/v1.0/actors/Elsewhere/idle/reminders/r`, {
      method: 'PUT',
      body: JSON.stringify({ dueTime: '1s' }),
    });
    expect(notHosted.status).toBe(403);
  });

  it('deactivates idle actors with DELETE, after which state writes are refused again', async () => {
    const sidecar = await startSidecar({ actorIdleTimeoutMs: 100 });
    const { host } = await startApp(sidecar, publisher);
    await host.invoke(contractActorType, 'sleepy', 'increment', { by: 1 });
    const write = () =>
      fetch(`${sidecar.url}/v1.0/actors/${contractActorType}/sleepy/state`, { method: 'POST', body: JSON.stringify([]) }).then(
        (response) => response.status,
      );
    await expectEventually(async () => expect(await write()).toBe(400));
    expect(await host.invoke(contractActorType, 'sleepy', 'increment', { by: 1 })).toBe(2);
  });

  it('requires its API token when configured', async () => {
    const sidecar = await startSidecar({ apiToken: 'sidecar-token' });
    expect((await fetch(`${sidecar.url}/v1.0/metadata`)).status).toBe(401);
    expect((await fetch(`${sidecar.url}/v1.0/metadata`, { headers: { 'dapr-api-token': 'sidecar-token' } })).status).toBe(200);
    expect((await fetch(`${sidecar.url}/v1.0/healthz`)).status).toBe(204);
  });
});
