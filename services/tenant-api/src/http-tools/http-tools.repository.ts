import { randomUUID } from 'node:crypto';
import type { HttpTool, Prisma, PrismaClient, SecretBox } from '@app/db';
import { openHttpToolHeaders, sealHttpToolHeaders, type HttpToolDefinition } from '@app/runtime/providers';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { templateIssues, type CreateHttpToolInput, type HttpToolView, type UpdateHttpToolInput } from './http-tools.schema.ts';

/** The business's HTTP tools: every query carries tenant.businessId; header values are sealed before they are written. */
export function createHttpToolsRepository(prisma: PrismaClient, box: SecretBox) {
  const findRow = (tenant: TenantContext, id: string) => prisma.httpTool.findFirst({ where: { id, businessId: tenant.businessId } });

  return {
    async create(tenant: TenantContext, input: CreateHttpToolInput): Promise<HttpToolView> {
      // The id is chosen here: it is the associated data that binds the sealed headers to this row.
      const id = randomUUID();
      const headers = Object.fromEntries(input.headers.map((header) => [header.name, header.value]));
      const row = await prisma.httpTool.create({
        data: {
          id,
          businessId: tenant.businessId,
          name: input.name,
          description: input.description,
          parameters: input.parameters as Prisma.InputJsonObject,
          method: input.method,
          url: input.url,
          headerNames: input.headers.map((header) => header.name),
          encryptedHeaders: sealHttpToolHeaders(box, id, headers),
          bodyTemplate: input.bodyTemplate,
          timeoutMs: input.timeoutMs,
          active: input.active,
        },
      });
      return toHttpToolView(row);
    },

    async list(tenant: TenantContext): Promise<HttpToolView[]> {
      const rows = await prisma.httpTool.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ name: 'asc' }] });
      return rows.map(toHttpToolView);
    },

    async find(tenant: TenantContext, id: string): Promise<HttpToolView | null> {
      const row = await findRow(tenant, id);
      return row ? toHttpToolView(row) : null;
    },

    /** Null when the tool is not the business's. Throws VALIDATION_FAILED when the merged tool would be invalid. */
    async update(tenant: TenantContext, id: string, input: UpdateHttpToolInput): Promise<HttpToolView | null> {
      const row = await findRow(tenant, id);
      if (!row) return null;
      const parameters = (input.parameters ?? row.parameters) as Record<string, unknown>;
      const bodyTemplate = input.bodyTemplate !== undefined ? input.bodyTemplate : row.bodyTemplate;
      const problems = input.parameters !== undefined || input.bodyTemplate !== undefined ? templateIssues(parameters, bodyTemplate) : [];
      let sealed: { headerNames: string[]; encryptedHeaders: string | null } | undefined;
      if (input.headers !== undefined) {
        const stored = openHttpToolHeaders(box, row.id, row.encryptedHeaders);
        const headers: Record<string, string> = {};
        input.headers.forEach((header, index) => {
          const value = header.value ?? stored[header.name];
          if (value === undefined) problems.push({ path: `body.headers.${index}.value`, message: 'is required for a new header' });
          else headers[header.name] = value;
        });
        sealed = { headerNames: input.headers.map((header) => header.name), encryptedHeaders: sealHttpToolHeaders(box, row.id, headers) };
      }
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'The request body is invalid.', problems);
      const { headers: _headers, parameters: _parameters, ...fields } = input;
      const updated = await prisma.httpTool.update({
        where: { id: row.id },
        data: {
          ...fields,
          ...(input.parameters !== undefined ? { parameters: input.parameters as Prisma.InputJsonObject } : {}),
          ...sealed,
        },
      });
      return toHttpToolView(updated);
    },

    async delete(tenant: TenantContext, id: string): Promise<boolean> {
      const { count } = await prisma.httpTool.deleteMany({ where: { id, businessId: tenant.businessId } });
      return count > 0;
    },

    /** The tool ready to call (header values decrypted), for the test endpoint; null when not the business's. */
    async definition(tenant: TenantContext, id: string): Promise<HttpToolDefinition | null> {
      const row = await findRow(tenant, id);
      return row ? toHttpToolDefinition(box, row) : null;
    },
  };
}

export function toHttpToolDefinition(box: SecretBox, row: HttpTool): HttpToolDefinition {
  return {
    name: row.name,
    url: row.url,
    method: 'POST',
    headers: openHttpToolHeaders(box, row.id, row.encryptedHeaders),
    bodyTemplate: row.bodyTemplate,
    timeoutMs: row.timeoutMs,
  };
}

function toHttpToolView(row: HttpTool): HttpToolView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    parameters: row.parameters as Record<string, unknown>,
    method: 'POST',
    url: row.url,
    headers: row.headerNames.map((name) => ({ name, set: true as const })),
    bodyTemplate: row.bodyTemplate,
    timeoutMs: row.timeoutMs,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
