import { randomUUID } from 'node:crypto';
import type { PrismaClient, SecretBox } from '@app/db';
import { applySendingSettingsPatch, readSendingSettings } from '@app/domain';
import type { TenantContext } from '../http/tenant-context.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { sealCredentials } from './credentials-box.ts';
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
  createdAt: Date;
}

/** Instances of the caller's business only: every query carries tenant.businessId. */
export function createInstancesRepository(prisma: PrismaClient, credentials: SecretBox) {
  return {
    async create(tenant: TenantContext, input: CreateInstanceInput): Promise<InstanceView> {
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
      if (input.provider !== 'BAILEYS') return toInstanceView(await prisma.instance.create({ data }));
      // The lowest free slot; two creations racing for it collide on the unique index and the loser takes the next.
      for (let attempt = 1; ; attempt++) {
        const [{ slot }] = await prisma.$queryRaw<[{ slot: number }]>`
SELECT COALESCE((SELECT MIN(s) FROM generate_series(0, (SELECT COALESCE(MAX(slot), -1) + 1 FROM instance)) AS s
  WHERE NOT EXISTS (SELECT 1 FROM instance WHERE slot = s)), 0)::int AS slot`;
        try {
          return toInstanceView(await prisma.instance.create({ data: { ...data, slot, status: 'stopped' } }));
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 5) throw error;
        }
      }
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
