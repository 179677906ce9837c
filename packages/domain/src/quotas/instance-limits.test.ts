import { describe, expect, it } from 'vitest';
import { limitsOfPlan, lowestFreeSlot, newInstanceBreach, platformCapacityBreach } from './instance-limits.ts';

const deployment = { instancesPerBusiness: 10, whatsappWebInstancesPerBusiness: 3, whatsappWebSessions: 50 };
const unlimitedPlan = limitsOfPlan(null);

describe('instance limits', () => {
  it('leaves a business without a plan to the deployment’s limits', () => {
    expect(unlimitedPlan).toEqual({ instancesPerBusiness: null, whatsappWebInstancesPerBusiness: null });
    expect(newInstanceBreach({ provider: 'BAILEYS', usage: { instances: 9, whatsappWebInstances: 2 }, plan: unlimitedPlan, deployment })).toBeNull();
    expect(
      newInstanceBreach({ provider: 'SANDBOX', usage: { instances: 10, whatsappWebInstances: 0 }, plan: unlimitedPlan, deployment }),
    ).toMatchObject({
      code: 'INSTANCE_LIMIT_REACHED',
      quota: 'instancesPerBusiness',
      limit: 10,
      current: 10,
      setBy: 'deployment',
    });
  });

  it('counts WhatsApp Web numbers only against WhatsApp Web creations', () => {
    const usage = { instances: 3, whatsappWebInstances: 3 };
    const breach = newInstanceBreach({ provider: 'BAILEYS', usage, plan: unlimitedPlan, deployment });
    expect(breach).toMatchObject({ quota: 'whatsappWebInstancesPerBusiness', limit: 3, current: 3 });
    expect(breach!.message).toBe(
      'This business has 3 WhatsApp Web numbers; the platform allows at most 3. Delete one, or ask the platform administrator to raise the limit.',
    );
    expect(newInstanceBreach({ provider: 'META', usage, plan: unlimitedPlan, deployment })).toBeNull();
  });

  it('takes the smaller of the plan’s and the deployment’s limit, and says which one it was', () => {
    const plan = { instancesPerBusiness: 4, whatsappWebInstancesPerBusiness: 5 };
    const byPlan = newInstanceBreach({ provider: 'META', usage: { instances: 4, whatsappWebInstances: 0 }, plan, deployment });
    expect(byPlan).toMatchObject({ quota: 'instancesPerBusiness', limit: 4, setBy: 'plan' });
    expect(byPlan!.message).toContain('move to a plan that allows more');
    // The plan allows 5 WhatsApp Web numbers, the deployment 3: the deployment's 3 holds.
    expect(newInstanceBreach({ provider: 'BAILEYS', usage: { instances: 3, whatsappWebInstances: 3 }, plan, deployment })).toMatchObject({
      quota: 'whatsappWebInstancesPerBusiness',
      limit: 3,
      setBy: 'deployment',
    });
  });

  it('a limit of 0 turns a kind of instance off', () => {
    const none = { ...deployment, whatsappWebInstancesPerBusiness: 0 };
    expect(
      newInstanceBreach({ provider: 'BAILEYS', usage: { instances: 0, whatsappWebInstances: 0 }, plan: unlimitedPlan, deployment: none }),
    ).toMatchObject({ limit: 0, current: 0 });
  });

  it('places a session on the lowest free slot below the platform’s capacity', () => {
    expect(lowestFreeSlot([], 3)).toBe(0);
    expect(lowestFreeSlot([0, 2], 3)).toBe(1);
    expect(lowestFreeSlot([1, 0, 2], 3)).toBeNull();
    expect(lowestFreeSlot([], 0)).toBeNull();
    expect(platformCapacityBreach(3, 3)).toMatchObject({
      code: 'PLATFORM_CAPACITY_REACHED',
      quota: 'whatsappWebSessions',
      limit: 3,
      current: 3,
      setBy: 'deployment',
    });
  });
});
