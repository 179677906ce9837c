import { randomUUID } from 'node:crypto';
import type { PrismaClient, SecretBox } from '@app/db';
import {
  applySendingSettingsPatch,
  newInstanceBreach,
  readSendingSettings,
  type BusinessInstanceUsage,
  type DeploymentInstanceLimits,
  type PlanInstanceLimits,
} from '@app/domain';
import type { TenantContext } from '../http/tenant-context.ts';
import { sealCredentials } from './credentials-box.ts';
import { instanceLimitError, takeSessionSlot } from './session-slots.ts';
import type { CreateInstanceInput, InstanceView, UpdateInstanceInput } from './instances.schema.ts';

interface InstanceRecord {
  id: string;
  provider: InstanceView['provider'];
  name: string;
  phoneNumberId: string | null;
  wabaId: string | null;
  status: string;
  slot: number | null;
  encryptedCredentials: string | null;
  baileysSettings: unknown;
  overCapacitySince: Date | null;
  createdAt: Date;
}

/** What a new instance is checked against: the business's plan and the deployment's settings. */
export interface InstanceCreationLimits {
  plan: PlanInstanceLimits;
  deployment: DeploymentInstanceLimits;
}

/** Instances of the caller's business only: every query carries tenant.businessId. */
export function createInstancesRepository(prisma: PrismaClient, credentials: SecretBox) {
  return {
    /**
     * Creates the instance if the business's limits and the platform's capacity allow it, else throws
     * INSTANCE_LIMIT_REACHED / PLATFORM_CAPACITY_REACHED and writes nothing. The business's row is locked while
     * its instances are counted and the new one is inserted, so concurrent creations cannot both take the last place.
     */
    async create(tenant: TenantContext, input: CreateInstanceInput, limits: InstanceCreationLimits): Promise<InstanceView> {
      // The id is chosen here because it is the associated data that binds the ciphertext to this row.
      const id = randomUUID();
      const meta = input.provider === 'META' ? input : null;
      const data = {
        id,
        businessId: tenant.businessId,
        provider: input.provider,
        name: input.name,
        phoneNumberId: meta?.phoneNumberId ?? null,
        wabaId: meta?.wabaId ?? null,
        encryptedCredentials: meta ? sealCredentials(credentials, id, { accessToken: meta.accessToken }) : null,
      };
      return prisma.$transaction(async (transaction) => {
        // NO KEY UPDATE: serialises creations of this business without blocking rows that merely reference it.
        await transaction.$queryRaw`SELECT id FROM business WHERE id = ${tenant.businessId}::uuid FOR NO KEY UPDATE`;
        const [usage] = await transaction.$queryRaw<[BusinessInstanceUsage]>`
SELECT COUNT(*)::int AS instances, (COUNT(*) FILTER (WHERE provider = 'BAILEYS'))::int AS "whatsappWebInstances"
FROM instance WHERE "businessId" = ${tenant.businessId}::uuid`;
        const breach = newInstanceBreach({ provider: input.provider, usage, plan: limits.plan, deployment: limits.deployment });
        if (breach) throw instanceLimitError(breach);
        if (input.provider !== 'BAILEYS') return toInstanceView(await transaction.instance.create({ data }));
        const slot = await takeSessionSlot(transaction, limits.deployment.whatsappWebSessions);
        return toInstanceView(await transaction.instance.create({ data: { ...data, slot, status: 'stopped' } }));
      });
    },

    async list(tenant: TenantContext): Promise<InstanceView[]> {
      const rows = await prisma.instance.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toInstanceView);
    },

    async find(tenant: TenantContext, id: string): Promise<InstanceView | null> {
      const row = await prisma.instance.findFirst({ where: { id, businessId: tenant.businessId } });
      return row ? toInstanceView(row) : null;
    },

    /**
     * Renames and/or changes the sending settings (merged: absent keys kept, null removes). Under a row lock, so two
     * edits of different settings both land. Null when the instance is not the caller's.
     */
    async update(tenant: TenantContext, id: string, input: UpdateInstanceInput): Promise<InstanceView | null> {
      return prisma.$transaction(async (transaction) => {
        const [locked] = await transaction.$queryRaw<{ id: string }[]>`
SELECT id::text FROM instance WHERE id = ${id}::uuid AND "businessId" = ${tenant.businessId}::uuid FOR UPDATE`;
        if (!locked) return null;
        const current = await transaction.instance.findUniqueOrThrow({ where: { id } });
        const updated = await transaction.instance.update({
          where: { id },
          data: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.baileys !== undefined ? { baileysSettings: applySendingSettingsPatch(current.baileysSettings, input.baileys) } : {}),
          },
        });
        return toInstanceView(updated);
      });
    },

    /** Deletes the instance with its conversations and messages (cascade); false when it is not the caller's. */
    async delete(tenant: TenantContext, id: string): Promise<boolean> {
      const { count } = await prisma.instance.deleteMany({ where: { id, businessId: tenant.businessId } });
      return count > 0;
    },
  };
}

export function toInstanceView(instance: InstanceRecord): InstanceView {
  return {
    id: instance.id,
    provider: instance.provider,
    name: instance.name,
    phoneNumberId: instance.phoneNumberId,
    wabaId: instance.wabaId,
    status: instance.status,
    slot: instance.slot,
    hasAccessToken: instance.encryptedCredentials !== null,
    baileys: instance.provider === 'BAILEYS' ? baileysSettingsView(instance.baileysSettings) : null,
    overCapacitySince: instance.overCapacitySince?.toISOString() ?? null,
    createdAt: instance.createdAt.toISOString(),
  };
}

function baileysSettingsView(stored: unknown): NonNullable<InstanceView['baileys']> {
  const settings = readSendingSettings(stored);
  return {
    maxPerMinute: settings.maxPerMinute ?? null,
    minGapPerRecipientMs: settings.minGapPerRecipientMs ?? null,
    newContactsPerDay: settings.newContactsPerDay ?? null,
    typing: settings.typing ?? null,
  };
}
