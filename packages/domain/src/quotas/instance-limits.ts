/**
 * How many WhatsApp numbers (instances) a business may connect, and how many WhatsApp Web sessions the platform
 * runs. Each WhatsApp Web (BAILEYS) instance is a session on a pod of the baileys-sessions StatefulSet, so without
 * these limits one tenant could make the platform start pods without end. Two layers apply, the smaller wins:
 * the business's plan (`planLimits`) and the deployment's settings (`DeploymentInstanceLimits`).
 */

/** Per business; null: this layer sets no limit. */
export interface PlanInstanceLimits {
  /** Instances of any provider (sandbox, Cloud API, WhatsApp Web). */
  instancesPerBusiness: number | null;
  /** WhatsApp Web (BAILEYS) instances: each is a session on a platform pod. */
  whatsappWebInstancesPerBusiness: number | null;
}

/** The operator's ceilings (each service's config.ts reads them from the environment). */
export interface DeploymentInstanceLimits {
  instancesPerBusiness: number;
  whatsappWebInstancesPerBusiness: number;
  /** WhatsApp Web sessions on the whole platform: slots 0 … n-1, at most this many StatefulSet replicas. */
  whatsappWebSessions: number;
}

/** What the deployment allows when its settings are not given. */
export const defaultDeploymentInstanceLimits: DeploymentInstanceLimits = {
  instancesPerBusiness: 20,
  whatsappWebInstancesPerBusiness: 5,
  whatsappWebSessions: 100,
};

/**
 * Limits per plan. A business without a plan (no billing in this deployment, or not subscribed yet) gets
 * `withoutPlan`: the deployment's settings alone. Billing adds a row per plan (BASIC, PRO) and supplies the
 * business's plan to `limitsOfPlan`; nothing else changes.
 */
export const planLimits = {
  withoutPlan: { instancesPerBusiness: null, whatsappWebInstancesPerBusiness: null },
} as const satisfies Record<string, PlanInstanceLimits>;

/** The plans a business can be on (billing adds them to `planLimits`). */
export type PlanId = Exclude<keyof typeof planLimits, 'withoutPlan'>;

export function limitsOfPlan(plan: PlanId | null): PlanInstanceLimits {
  return plan === null ? planLimits.withoutPlan : planLimits[plan];
}

export type InstanceQuota = 'instancesPerBusiness' | 'whatsappWebInstancesPerBusiness' | 'whatsappWebSessions';

/** Why a new instance (or a session start) is refused: which limit, its value, and how many there are. */
export interface InstanceLimitBreach {
  code: 'INSTANCE_LIMIT_REACHED' | 'PLATFORM_CAPACITY_REACHED';
  quota: InstanceQuota;
  limit: number;
  current: number;
  /** Who set the limit: the business's plan or the deployment's settings. */
  setBy: 'plan' | 'deployment';
  message: string;
}

export interface BusinessInstanceUsage {
  instances: number;
  whatsappWebInstances: number;
}

/**
 * The first per-business limit a new instance would exceed, or null. Count and insert must happen under one lock
 * (the caller's job): two creations must not both see the last free place.
 */
export function newInstanceBreach(input: {
  provider: 'META' | 'BAILEYS' | 'SANDBOX';
  usage: BusinessInstanceUsage;
  plan: PlanInstanceLimits;
  deployment: DeploymentInstanceLimits;
}): InstanceLimitBreach | null {
  const { usage, plan, deployment } = input;
  const checks: Array<{ quota: 'instancesPerBusiness' | 'whatsappWebInstancesPerBusiness'; current: number; noun: string }> = [
    { quota: 'instancesPerBusiness', current: usage.instances, noun: 'WhatsApp numbers (of any kind)' },
  ];
  if (input.provider === 'BAILEYS') {
    checks.push({ quota: 'whatsappWebInstancesPerBusiness', current: usage.whatsappWebInstances, noun: 'WhatsApp Web numbers' });
  }
  for (const { quota, current, noun } of checks) {
    const { limit, setBy } = smallerLimit(plan[quota], deployment[quota]);
    if (current < limit) continue;
    const remedy =
      setBy === 'plan' ? 'Delete one, or move to a plan that allows more.' : 'Delete one, or ask the platform administrator to raise the limit.';
    return {
      code: 'INSTANCE_LIMIT_REACHED',
      quota,
      limit,
      current,
      setBy,
      message: `This business has ${current} ${noun}; the ${setBy === 'plan' ? 'plan' : 'platform'} allows at most ${limit}. ${remedy}`,
    };
  }
  return null;
}

/** The refusal when every WhatsApp Web session slot of the platform is taken. */
export function platformCapacityBreach(capacity: number, inUse: number): InstanceLimitBreach {
  return {
    code: 'PLATFORM_CAPACITY_REACHED',
    quota: 'whatsappWebSessions',
    limit: capacity,
    current: inUse,
    setBy: 'deployment',
    message: `This platform runs at most ${capacity} WhatsApp Web sessions and all of them are taken. Try again later, or ask the platform administrator to raise the capacity.`,
  };
}

/**
 * The lowest session slot below `capacity` that no instance holds, or null when all are taken. Slot n runs on
 * StatefulSet pod n, so keeping slots low keeps the replica count low.
 */
export function lowestFreeSlot(taken: Iterable<number>, capacity: number): number | null {
  const used = new Set(taken);
  for (let slot = 0; slot < capacity; slot++) if (!used.has(slot)) return slot;
  return null;
}

function smallerLimit(plan: number | null, deployment: number): { limit: number; setBy: 'plan' | 'deployment' } {
  return plan !== null && plan < deployment ? { limit: plan, setBy: 'plan' } : { limit: deployment, setBy: 'deployment' };
}
