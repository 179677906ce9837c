import type { DomainEvent } from '@app/domain';
import type { ActorContext, ActorDefinition } from '../src/ports/actor-host.ts';
import { AppError } from '../src/service/app-error.ts';

export const contractActorType = 'ContractCounter';
export const contractTopic = 'contract.events';

export interface CounterState {
  count: number;
  log: number[];
  /** Reminder tokens already handled: the idempotency record. */
  fired: string[];
}

export interface ReminderCall {
  actorId: string;
  name: string;
  data: unknown;
}

/** Every reminder/timer delivery the test actor saw, failed turns included (state would forget those). */
export class DeliveryRecorder {
  readonly calls: ReminderCall[] = [];
  count(actorId: string, name: string): number {
    return this.calls.filter((call) => call.actorId === actorId && call.name === name).length;
  }
}

const empty: CounterState = { count: 0, log: [], fired: [] };

async function read(context: ActorContext): Promise<CounterState> {
  return (await context.state.get<CounterState>('counter')) ?? structuredClone(empty);
}

function contractEvent(id: string, actorId: string): DomainEvent {
  return { id, type: 'contract.published', occurredAt: new Date(0).toISOString(), data: { actorId } };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small actor that exercises everything a host must do: state, reminders, timers, publish, failures. */
export function createContractCounterActor(recorder: DeliveryRecorder): ActorDefinition {
  return {
    type: contractActorType,
    methods: {
      async increment(context, argument) {
        const state = await read(context);
        state.count += (argument as { by: number }).by;
        context.state.set('counter', state);
        return state.count;
      },
      async snapshot(context) {
        return read(context);
      },
      async appendSlowly(context, argument) {
        const { value, delayMs } = argument as { value: number; delayMs: number };
        const state = await read(context);
        await pause(delayMs);
        state.log.push(value);
        context.state.set('counter', state);
        return state.log.length;
      },
      async incrementThenFail(context, argument) {
        const state = await read(context);
        state.count += (argument as { by: number }).by;
        context.state.set('counter', state);
        context.publish(contractTopic, contractEvent((argument as { eventId: string }).eventId, context.actorId));
        context.reminders.set('from-failed-turn', new Date(context.now().getTime() + 200), { token: 'never' });
        throw new AppError('CONFLICT', 'this turn fails on purpose');
      },
      async publishEvent(context, argument) {
        context.publish(contractTopic, contractEvent((argument as { eventId: string }).eventId, context.actorId), { key: context.actorId });
      },
      async remindIn(context, argument) {
        const { name, inMs, token, fail } = argument as { name: string; inMs: number; token: string; fail?: boolean };
        context.reminders.set(name, new Date(context.now().getTime() + inMs), { token, fail: fail ?? false });
      },
      async timerIn(context, argument) {
        const { name, inMs, token } = argument as { name: string; inMs: number; token: string };
        context.timers.set(name, new Date(context.now().getTime() + inMs), { token, fail: false });
      },
    },
    async onReminder(context, name, data) {
      recorder.calls.push({ actorId: context.actorId, name, data });
      const { token, fail } = data as { token: string; fail: boolean };
      if (fail) throw new Error(`reminder ${name} fails on purpose`);
      const state = await read(context);
      if (state.fired.includes(token)) return;
      state.fired.push(token);
      state.count += 1;
      context.state.set('counter', state);
    },
  };
}
