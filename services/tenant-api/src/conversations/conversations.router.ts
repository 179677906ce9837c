import type { Router } from 'express';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import { createConversationsRepository } from './conversations.repository.ts';
import { idempotencyKeyHeaderSchema, listConversationsQuerySchema, operatorReplyBodySchema, pageQuerySchema } from './conversations.schema.ts';
import { findReplyTrace } from './reply-trace.repository.ts';
import { sendOperatorReply } from './send-operator-reply.ts';

export function registerConversationRoutes(router: Router, services: ApiServices): void {
  const { authenticate, clock } = services;
  const conversations = createConversationsRepository(services.prisma);

  router.get('/conversations', authenticate, async (request, response) => {
    const query = parseInput(listConversationsQuerySchema, request.query, 'query');
    response.json(await conversations.list(tenantOf(response), query, clock.now()));
  });

  router.get('/conversations/:id/messages', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const id = resourceId(request.params['id'], 'Conversation');
    const query = parseInput(pageQuerySchema, request.query, 'query');
    if (!(await conversations.exists(tenant, id))) throw notFound('Conversation');
    response.json(await conversations.listMessages(tenant, id, query));
  });

  router.post('/conversations/:id/messages', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const conversationId = resourceId(request.params['id'], 'Conversation');
    const { text } = parseInput(operatorReplyBodySchema, request.body);
    const { 'idempotency-key': idempotencyKey } = parseInput(idempotencyKeyHeaderSchema, request.headers, 'headers');
    const result = await sendOperatorReply(services, tenant, { conversationId, text, idempotencyKey });
    if (!result.replayed) {
      services.logger.info(
        { event: 'conversation.operator_replied', businessId: tenant.businessId, conversationId, messageId: result.message.id },
        'operator reply queued',
      );
    }
    response.status(result.replayed ? 200 : 201).json(result);
  });

  router.get('/conversations/:id/messages/:messageId/trace', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const conversationId = resourceId(request.params['id'], 'Conversation');
    const messageId = resourceId(request.params['messageId'], 'Reply trace');
    // Scoped by business and conversation: another tenant's message is "not found", never "forbidden".
    const trace = await findReplyTrace(services.prisma, tenant, conversationId, messageId);
    if (!trace) throw notFound('Reply trace');
    response.json(trace);
  });

  router.post('/conversations/:id/read', authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    if (!(await conversations.markRead(tenant, resourceId(request.params['id'], 'Conversation')))) throw notFound('Conversation');
    response.status(204).end();
  });
}
