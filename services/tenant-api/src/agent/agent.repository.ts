import type { Clock } from '@app/runtime/ports';
import { AppError } from '@app/runtime/service';
import { enqueueEvent, type PrismaClient } from '@app/db';
import { BusinessBotToggled, isModelAllowed, resolvePromptVariables, type ModelAllowList } from '@app/domain';
import type { AiStatus } from '../dependencies.ts';
import type { TenantContext } from '../http/tenant-context.ts';
import type { AgentView, UpdateAgentInput } from './agent.schema.ts';

/** The agent settings live in two rows: AgentConfig and the business's timezone and global bot switch. */
export function createAgentRepository(deps: { prisma: PrismaClient; clock: Clock; aiStatus: () => AiStatus; allowedModels: ModelAllowList }) {
  const { prisma } = deps;

  const read = async (tenant: TenantContext): Promise<AgentView> => {
    const business = await prisma.business.findUnique({ where: { id: tenant.businessId }, include: { agentConfig: true } });
    if (!business) throw new AppError('NOT_FOUND', 'Business not found.');
    // Registration creates the row; one created by another path still gets the defaults.
    const config =
      business.agentConfig ??
      (await prisma.agentConfig.upsert({ where: { businessId: business.id }, create: { businessId: business.id }, update: {} }));
    return {
      systemPrompt: config.systemPrompt,
      model: config.model,
      bufferSeconds: config.bufferSeconds,
      maxBufferSeconds: config.maxBufferSeconds,
      historyLimit: config.historyLimit,
      handoffMinutes: config.handoffMinutes,
      timezone: business.timezone,
      botEnabled: business.botEnabled,
      objective: business.objective,
      plan: business.plan,
      updatedAt: new Date(Math.max(config.updatedAt.getTime(), business.updatedAt.getTime())).toISOString(),
      aiReplies: deps.aiStatus(),
      promptPreview: resolvePromptVariables(config.systemPrompt, {
        now: deps.clock.now(),
        timezone: business.timezone,
        businessName: business.name,
        contactName: null,
      }),
    };
  };

  return {
    read,

    async update(tenant: TenantContext, input: UpdateAgentInput): Promise<AgentView> {
      if (input.model !== undefined) assertModelAllowed(deps.allowedModels, input.model, 'body.model');
      const current = await read(tenant);
      const bufferSeconds = input.bufferSeconds ?? current.bufferSeconds;
      const maxBufferSeconds = input.maxBufferSeconds ?? current.maxBufferSeconds;
      if (maxBufferSeconds < bufferSeconds) {
        throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', [
          { path: 'body.maxBufferSeconds', message: `must be at least bufferSeconds (${bufferSeconds})` },
        ]);
      }
      // The objective decides what the whole business runs (tools, pages): the owner's decision, not an agent's.
      if (input.objective !== undefined && input.objective !== current.objective && tenant.role === 'AGENT') {
        throw new AppError('FORBIDDEN', 'Only the business owner can change the business objective.');
      }
      const { timezone, botEnabled, objective, ...agentFields } = input;
      await prisma.$transaction(async (transaction) => {
        await transaction.agentConfig.update({ where: { businessId: tenant.businessId }, data: agentFields });
        if (timezone !== undefined || botEnabled !== undefined || objective !== undefined) {
          await transaction.business.update({ where: { id: tenant.businessId }, data: { timezone, botEnabled, objective } });
        }
        // Live updates show the global switch to every open console; the event commits with the change.
        if (botEnabled !== undefined && botEnabled !== current.botEnabled) {
          await enqueueEvent(
            transaction,
            BusinessBotToggled.topic,
            BusinessBotToggled.create({ businessId: tenant.businessId, botEnabled }, { occurredAt: deps.clock.now() }),
            { key: tenant.businessId },
          );
        }
      });
      return read(tenant);
    },
  };
}

/** A model the deployment does not offer is a 400 naming the ones it does (AI_ALLOWED_MODELS). */
export function assertModelAllowed(allowed: ModelAllowList, model: string, path: string): void {
  if (isModelAllowed(allowed, model)) return;
  throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', [
    { path, message: `is not offered on this platform; choose one of: ${(allowed as readonly string[]).join(', ')}` },
  ]);
}
