import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ActorDefinition, ActorHost } from '../src/ports/actor-host.ts';
import { contractActorType, createContractCounterActor, DeliveryRecorder, type CounterState } from './contract-counter-actor.ts';
import { expectEventually } from '@app/testkit';

export interface ActorHostHarnessOptions {
  definitions: ActorDefinition[];
  /** Extra deliveries of every successful reminder tick (at-least-once duplicates). */
  duplicateReminderDeliveries: number;
  reminderRetry: { intervalMs: number; maxRetries: number };
}

export interface ActorHostHarness {
  /** A started host with `definitions` registered. */
  host: ActorHost;
  /** Stops the host as a crash or deploy would and returns a new started host over the same storage. */
  restart(): Promise<ActorHost>;
  /** Ids of the events committed turns published (the outbox, or what reached the sidecar). */
  publishedEventIds(): Promise<string[]>;
  /** Names of the reminders still registered for an actor. */
  reminderNames(actorType: string, actorId: string): Promise<string[]>;
  close(): Promise<void>;
}

export type MakeActorHostHarness = (options: ActorHostHarnessOptions) => Promise<ActorHostHarness>;

const defaults = { duplicateReminderDeliveries: 0, reminderRetry: { intervalMs: 1_000, maxRetries: 3 } };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every ActorHost must show, run against the local host (PostgreSQL) and the Dapr adapter (behind
 * the sidecar double). Each test uses fresh actor ids, so harnesses may share storage.
 */
export function describeActorHostContract(name: string, makeHarness: MakeActorHostHarness): void {
  describe(`ActorHost contract: ${name}`, () => {
    async function withHarness(
      options: Partial<Omit<ActorHostHarnessOptions, 'definitions'>>,
      body: (harness: ActorHostHarness, recorder: DeliveryRecorder) => Promise<void>,
    ) {
      const recorder = new DeliveryRecorder();
      const harness = await makeHarness({ ...defaults, ...options, definitions: [createContractCounterActor(recorder)] });
      try {
        await body(harness, recorder);
      } finally {
        await harness.close();
      }
    }
    const snapshot = (host: ActorHost, id: string) => host.invoke<CounterState>(contractActorType, id, 'snapshot');

    it('runs one turn at a time per actor: concurrent read-modify-write calls lose nothing', async () => {
      await withHarness({}, async ({ host }) => {
        const [first, second] = [randomUUID(), randomUUID()];
        const calls = Array.from({ length: 12 }, (_, value) => [
          host.invoke(contractActorType, first, 'appendSlowly', { value, delayMs: 5 + (value % 3) * 5 }),
          host.invoke(contractActorType, second, 'appendSlowly', { value, delayMs: 5 }),
        ]).flat();
        await Promise.all(calls);
        for (const id of [first, second]) {
          const { log } = await snapshot(host, id);
          expect(log).toHaveLength(12);
          expect([...log].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, value) => value));
        }
      });
    });

    it('commits state only when the turn succeeds, and a failed turn publishes and schedules nothing', async () => {
      await withHarness({}, async (harness, recorder) => {
        const id = randomUUID();
        const failedEventId = `failed-${id}`;
        const keptEventId = `kept-${id}`;
        expect(await harness.host.invoke(contractActorType, id, 'increment', { by: 2 })).toBe(2);
        await expect(harness.host.invoke(contractActorType, id, 'incrementThenFail', { by: 5, eventId: failedEventId })).rejects.toMatchObject({
          code: 'CONFLICT',
        });
        expect((await snapshot(harness.host, id)).count).toBe(2);
        await harness.host.invoke(contractActorType, id, 'publishEvent', { eventId: keptEventId });
        await expectEventually(async () => expect(await harness.publishedEventIds()).toContain(keptEventId));
        expect(await harness.publishedEventIds()).not.toContain(failedEventId);
        await settle(600);
        expect(recorder.count(id, 'from-failed-turn')).toBe(0);
        expect(await harness.reminderNames(contractActorType, id)).not.toContain('from-failed-turn');
      });
    });

    it('fires a reminder that came due while the host was down once it is back', async () => {
      await withHarness({}, async (harness, recorder) => {
        const id = randomUUID();
        await harness.host.invoke(contractActorType, id, 'remindIn', { name: 'wake-up', inMs: 1_500, token: 'after-restart' });
        const host = await harness.restart();
        await settle(1_600);
        await expectEventually(async () => expect((await snapshot(host, id)).fired).toEqual(['after-restart']), { timeoutMs: 20_000 });
        expect(recorder.count(id, 'wake-up')).toBeGreaterThanOrEqual(1);
        await expectEventually(async () => expect(await harness.reminderNames(contractActorType, id)).toEqual([]));
      });
    });

    it('changes nothing when a reminder is delivered twice and the handler is idempotent', async () => {
      await withHarness({ duplicateReminderDeliveries: 1 }, async (harness, recorder) => {
        const id = randomUUID();
        await harness.host.invoke(contractActorType, id, 'remindIn', { name: 'twice', inMs: 100, token: 'once-only' });
        await expectEventually(() => expect(recorder.count(id, 'twice')).toBeGreaterThanOrEqual(2));
        const state = await snapshot(harness.host, id);
        expect(state.fired).toEqual(['once-only']);
        expect(state.count).toBe(1);
      });
    });

    it('replaces a reminder set again under the same name', async () => {
      await withHarness({}, async (harness, recorder) => {
        const id = randomUUID();
        await harness.host.invoke(contractActorType, id, 'remindIn', { name: 'debounce', inMs: 1_000, token: 'first' });
        await harness.host.invoke(contractActorType, id, 'remindIn', { name: 'debounce', inMs: 100, token: 'second' });
        await expectEventually(async () => expect((await snapshot(harness.host, id)).fired).toEqual(['second']));
        await settle(1_500);
        expect((await snapshot(harness.host, id)).fired).toEqual(['second']);
        expect(recorder.count(id, 'debounce')).toBe(1);
      });
    });

    it('retries a failing reminder, then drops that tick', async () => {
      const reminderRetry = { intervalMs: 150, maxRetries: 3 };
      await withHarness({ reminderRetry }, async (harness, recorder) => {
        const id = randomUUID();
        await harness.host.invoke(contractActorType, id, 'remindIn', { name: 'broken', inMs: 50, token: 'never', fail: true });
        await expectEventually(() => expect(recorder.count(id, 'broken')).toBe(1 + reminderRetry.maxRetries));
        await expectEventually(async () => expect(await harness.reminderNames(contractActorType, id)).toEqual([]));
        await settle(1_000);
        expect(recorder.count(id, 'broken')).toBe(1 + reminderRetry.maxRetries);
        expect((await snapshot(harness.host, id)).count).toBe(0);
      });
    });

    it('delivers a timer to onReminder with its name', async () => {
      await withHarness({}, async (harness, recorder) => {
        const id = randomUUID();
        await harness.host.invoke(contractActorType, id, 'timerIn', { name: 'flush', inMs: 50, token: 'tick' });
        await expectEventually(async () => expect((await snapshot(harness.host, id)).fired).toEqual(['tick']));
        expect(recorder.calls.find((call) => call.actorId === id)?.name).toBe('flush');
      });
    });

    it('rejects an unknown method', async () => {
      await withHarness({}, async ({ host }) => {
        await expect(host.invoke(contractActorType, randomUUID(), 'noSuchMethod')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });
    });
  });
}
