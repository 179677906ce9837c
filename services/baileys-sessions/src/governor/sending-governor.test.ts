import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../test/support/fake-timers.ts';
import { defaultGovernorConfig, SendingGovernor, type GovernorConfig, type SendPlan } from './sending-governor.ts';

function governor(overrides: Partial<GovernorConfig> = {}, random = () => 0.5) {
  const clock = new FakeTimers(new Date('2026-03-10T12:00:00Z'));
  return { clock, governor: new SendingGovernor({ ...defaultGovernorConfig, ...overrides }, clock, random) };
}

const allowed = (plan: SendPlan) => {
  if (!plan.allowed) throw new Error(`expected an allowed plan, got ${plan.reason}`);
  return plan;
};

describe('SendingGovernor', () => {
  it('keeps every 60-second window within maxPerMinute, even for a burst planned at once', () => {
    const { governor: subject } = governor({ maxPerMinute: 10 });
    const sendTimes = Array.from({ length: 45 }, (_, index) =>
      allowed(subject.plan({ recipient: `r${index}`, textLength: 20, firstContact: false })).sendAt.getTime(),
    );
    for (const start of sendTimes) {
      expect(sendTimes.filter((time) => time >= start && time < start + 60_000).length).toBeLessThanOrEqual(10);
    }
    // … and does not hold messages back for nothing: 45 messages need about 4 minutes, not more.
    expect(Math.max(...sendTimes) - Math.min(...sendTimes)).toBeLessThan(5 * 60_000);
  });

  it('spaces two messages to the same person by the minimum gap plus jitter', () => {
    const { governor: subject } = governor({ minGapPerRecipientMs: 3_000, jitterMs: 2_000 }, () => 0.75);
    const first = allowed(subject.plan({ recipient: 'ana', textLength: 10, firstContact: false }));
    const second = allowed(subject.plan({ recipient: 'ana', textLength: 10, firstContact: false }));
    const other = allowed(subject.plan({ recipient: 'bruno', textLength: 10, firstContact: false }));
    expect(second.sendAt.getTime() - first.sendAt.getTime()).toBe(3_000 + 1_500);
    expect(other.waitMs).toBe(0);
  });

  it('shows typing for a time proportional to the reply length, within bounds', () => {
    const { governor: subject } = governor({ typingMsPerCharacter: 40, minTypingMs: 800, maxTypingMs: 8_000 });
    expect(allowed(subject.plan({ recipient: 'a', textLength: 5, firstContact: false })).typingMs).toBe(800);
    expect(allowed(subject.plan({ recipient: 'b', textLength: 100, firstContact: false })).typingMs).toBe(4_000);
    expect(allowed(subject.plan({ recipient: 'c', textLength: 1_000, firstContact: false })).typingMs).toBe(8_000);
  });

  it('caps first messages to new contacts per UTC day, without counting a person twice', async () => {
    const { governor: subject, clock } = governor({ newContactsPerDay: 3 });
    for (const recipient of ['n1', 'n2', 'n3', 'n1']) expect(subject.plan({ recipient, textLength: 5, firstContact: true }).allowed).toBe(true);
    const denied = subject.plan({ recipient: 'n4', textLength: 5, firstContact: true });
    expect(denied).toEqual({ allowed: false, reason: 'new-contact-cap', retryAfterMs: 12 * 3_600_000 });
    // Replies to people who wrote first are never capped.
    expect(subject.plan({ recipient: 'known', textLength: 5, firstContact: false }).allowed).toBe(true);
    await clock.advance(12 * 3_600_000);
    expect(subject.plan({ recipient: 'n4', textLength: 5, firstContact: true }).allowed).toBe(true);
  });
});

describe('SendingGovernor memory', () => {
  it('stays bounded over thousands of sends to different people, across days', async () => {
    const { governor: subject, clock } = governor({ maxPerMinute: 20, minGapPerRecipientMs: 3_000, jitterMs: 2_000, newContactsPerDay: 5 });
    let largest = { sendTimes: 0, recipients: 0, newContacts: 0 };
    for (let index = 0; index < 3_000; index++) {
      const plan = subject.plan({ recipient: `person-${index}`, textLength: 40, firstContact: index % 7 === 0 });
      if (plan.allowed) await clock.advance(plan.sendAt.getTime() - clock.now().getTime());
      else await clock.advance(60_000);
      if (index % 100 === 99) await clock.advance(2 * 3_600_000);
      const memory = subject.memory;
      largest = {
        sendTimes: Math.max(largest.sendTimes, memory.sendTimes),
        recipients: Math.max(largest.recipients, memory.recipients),
        newContacts: Math.max(largest.newContacts, memory.newContacts),
      };
    }
    // Several simulated days went by; nothing grew with the number of people written to.
    expect(clock.now().getTime() - new Date('2026-03-10T12:00:00Z').getTime()).toBeGreaterThan(2 * 86_400_000);
    expect(largest.sendTimes).toBeLessThanOrEqual(21);
    expect(largest.recipients).toBeLessThanOrEqual(21);
    expect(largest.newContacts).toBeLessThanOrEqual(5);
  });

  it('takes new settings without forgetting what was already sent', () => {
    const { governor: subject } = governor({ maxPerMinute: 10 });
    for (let index = 0; index < 3; index++) allowed(subject.plan({ recipient: `r${index}`, textLength: 1, firstContact: false }));
    subject.reconfigure({ ...defaultGovernorConfig, maxPerMinute: 3 });
    const fourth = allowed(subject.plan({ recipient: 'r3', textLength: 1, firstContact: false }));
    // The three sends of this minute count against the new limit.
    expect(fourth.waitMs).toBeGreaterThanOrEqual(59_000);
  });
});
