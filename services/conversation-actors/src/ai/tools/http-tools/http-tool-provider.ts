import type { PrismaClient, SecretBox } from '@app/db';
import type { AgentTool, ToolProvider, ToolScope, ToolSet } from '@app/domain';
import { openHttpToolHeaders, runHttpTool, toToolOutcome, type HttpToolCaller, type HttpToolDefinition } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';

export interface HttpToolProviderDependencies {
  prisma: PrismaClient;
  logger: Logger;
  /** Decrypts the tools' header values (tenant-api's CREDENTIALS_KEY). */
  credentials: SecretBox;
  /** Standalone: the direct caller under the SSRF guard; Kubernetes: the Dapr HTTP binding. */
  caller: HttpToolCaller;
}

/**
 * The business's own HTTP tools (n8n webhooks …), active ones only. Each call has side effects (the reply loop
 * records it and never repeats it on a retry) and carries the loop's idempotency key. The header values are the
 * set's secrets, so a stored trace shows them redacted.
 */
export function createHttpToolProvider(dependencies: HttpToolProviderDependencies): ToolProvider {
  const { prisma, credentials, caller } = dependencies;
  const logger = dependencies.logger.child({ component: 'http-tools' });

  return {
    async load(scope: ToolScope): Promise<ToolSet> {
      const rows = await prisma.httpTool.findMany({ where: { businessId: scope.businessId, active: true }, orderBy: { name: 'asc' } });
      if (rows.length === 0) return { tools: [] };
      const [business, contact] = await Promise.all([
        prisma.business.findUnique({ where: { id: scope.businessId }, select: { name: true } }),
        prisma.contact.findFirst({ where: { id: scope.contactId, businessId: scope.businessId }, select: { phone: true, name: true } }),
      ]);
      const context = {
        'contact.phone': contact?.phone ?? null,
        'contact.name': contact?.name ?? null,
        'conversation.id': scope.conversationId,
        'business.name': business?.name ?? null,
      };

      const tools: AgentTool[] = [];
      const secrets: string[] = [];
      for (const row of rows) {
        let headers: Record<string, string>;
        try {
          headers = openHttpToolHeaders(credentials, row.id, row.encryptedHeaders);
        } catch (error) {
          // A tool whose secrets no configured key opens is left out of this reply, not the whole reply.
          logger.error(
            { event: 'http_tool.headers_unreadable', businessId: scope.businessId, toolId: row.id, err: error },
            'HTTP tool headers cannot be decrypted',
          );
          continue;
        }
        secrets.push(...Object.values(headers).flatMap(secretParts));
        const definition: HttpToolDefinition = {
          name: row.name,
          url: row.url,
          method: 'POST',
          headers,
          bodyTemplate: row.bodyTemplate,
          timeoutMs: row.timeoutMs,
        };
        tools.push({
          name: row.name,
          description: row.description,
          parameters: row.parameters as Record<string, unknown>,
          sideEffects: true,
          timeoutMs: row.timeoutMs,
          run: async (args, call) => {
            const run = await runHttpTool(caller, definition, { args, context, idempotencyKey: call.idempotencyKey, signal: call.signal });
            const outcome = toToolOutcome(run);
            logger.info(
              {
                event: 'http_tool.called',
                businessId: call.businessId,
                toolId: row.id,
                ok: outcome.ok,
                status: run.sent ? (run.response.status ?? null) : null,
                durationMs: run.sent ? run.response.durationMs : 0,
              },
              'HTTP tool called',
            );
            return outcome;
          },
        });
      }
      return { tools, secrets };
    },
  };
}

/** A header value, and its credential alone when it has a scheme (`Bearer abc…`), so either form is redacted. */
function secretParts(value: string): string[] {
  const credential = /^[A-Za-z][\w-]*\s+(\S{8,})$/.exec(value)?.[1];
  return credential ? [value, credential] : [value];
}
