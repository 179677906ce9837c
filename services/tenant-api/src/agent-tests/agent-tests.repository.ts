import type { PrismaClient } from '@app/db';
import { agentTestStepSchema, type AgentTestCaseInput } from '@app/domain';
import { z } from 'zod';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { AppError } from '@app/runtime/service';
import type { AgentTestCaseView } from './agent-tests.schema.ts';

const storedStepsSchema = z.array(agentTestStepSchema);
export const maxCasesPerBusiness = 50;

/** A business's agent test cases; every query is scoped by the tenant's business. */
export function createAgentTestRepository(prisma: PrismaClient) {
  const toView = (row: { id: string; name: string; steps: unknown; createdAt: Date; updatedAt: Date }): AgentTestCaseView => ({
    id: row.id,
    name: row.name,
    steps: storedStepsSchema.parse(row.steps),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
  const nameTaken = (name: string) => new AppError('CONFLICT', `A test case named "${name}" already exists.`);

  return {
    async list(tenant: TenantContext): Promise<AgentTestCaseView[]> {
      const rows = await prisma.agentTestCase.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toView);
    },

    async create(tenant: TenantContext, input: AgentTestCaseInput): Promise<AgentTestCaseView> {
      // A run takes every case (several model calls each) within one request: the suite stays a size that finishes.
      if ((await prisma.agentTestCase.count({ where: { businessId: tenant.businessId } })) >= maxCasesPerBusiness) {
        throw new AppError('VALIDATION_FAILED', `A test suite holds at most ${maxCasesPerBusiness} cases; delete one first.`, {
          limit: maxCasesPerBusiness,
        });
      }
      try {
        return toView(await prisma.agentTestCase.create({ data: { businessId: tenant.businessId, name: input.name, steps: input.steps } }));
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
    },

    async replace(tenant: TenantContext, id: string, input: AgentTestCaseInput): Promise<AgentTestCaseView> {
      try {
        const updated = await prisma.agentTestCase.updateMany({
          where: { id, businessId: tenant.businessId },
          data: { name: input.name, steps: input.steps },
        });
        if (updated.count === 0) throw notFound('Test case');
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(input.name);
        throw error;
      }
      return toView(await prisma.agentTestCase.findUniqueOrThrow({ where: { id } }));
    },

    async remove(tenant: TenantContext, id: string): Promise<void> {
      const deleted = await prisma.agentTestCase.deleteMany({ where: { id, businessId: tenant.businessId } });
      if (deleted.count === 0) throw notFound('Test case');
    },

    /** The chosen cases (all when none are named); an id of another business or none at all is a 404. */
    async forRun(tenant: TenantContext, ids: string[] | undefined): Promise<AgentTestCaseView[]> {
      const rows = await prisma.agentTestCase.findMany({
        where: { businessId: tenant.businessId, ...(ids ? { id: { in: ids } } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      if (ids && rows.length !== new Set(ids).size) throw notFound('Test case');
      return rows.map(toView);
    },
  };
}
