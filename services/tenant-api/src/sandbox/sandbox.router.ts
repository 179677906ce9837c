import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { recordInboundMessage } from '@app/db';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { idempotencyKeyHeaderSchema } from '../conversations/conversations.schema.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import { sandboxMessageBodySchema } from './sandbox.schema.ts';

/**
 * The sandbox provider's ingress: the caller plays the customer. The message goes through the same
 * persist-once path as a Cloud API webhook, so the rest of the pipeline cannot tell the difference.
 */
export function registerSandboxRoutes(router: Router, services: ApiServices): void {
  const { prisma, clock } = services;

  router.post('/sandbox/:instanceId/messages', services.authenticate, async (request, response) => {
    const tenant = tenantOf(response);
    const instanceId = resourceId(request.params['instanceId'], 'Instance');
    const input = parseInput(sandboxMessageBodySchema, request.body);
    const { 'idempotency-key': idempotencyKey } = parseInput(idempotencyKeyHeaderSchema, request.headers, 'headers');
    const instance = await prisma.instance.findFirst({ where: { id: instanceId, businessId: tenant.businessId } });
    if (!instance) throw notFound('Instance');
    // Each simulated message may cost a model call on the platform's account.
    const throttle = services.limits.sandboxMessagesPerBusiness;
    const decision = throttle.check(tenant.businessId);
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many test messages this minute; wait a moment.', { retryAfterSeconds: decision.retryAfterSeconds });
    }
    if (instance.provider !== 'SANDBOX') {
      throw new AppError(
        'CONFLICT',
        `Instance ${instance.id} uses the ${instance.provider} provider; only SANDBOX instances accept simulated customer messages.`,
      );
    }
    // The provider id plays the role of Meta's wamid: with an Idempotency-Key a retried request maps to the same one.
    const providerMessageId = `sandbox.${idempotencyKey ?? randomUUID()}`;
    throttle.hit(tenant.businessId);
    const now = clock.now();
    const stored = await recordInboundMessage(prisma, {
      businessId: tenant.businessId,
      instanceId: instance.id,
      sender: { phone: input.from.replace(/^\+/, ''), name: input.name ?? null },
      providerMessageId,
      sentAt: now,
      content: { kind: 'text', text: input.text },
      now,
    });
    services.logger.info(
      {
        event: 'sandbox.message_received',
        businessId: tenant.businessId,
        instanceId: instance.id,
        messageId: stored.messageId,
        duplicate: stored.duplicate,
      },
      'sandbox customer message stored',
    );
    response.status(202).json({
      messageId: stored.messageId,
      conversationId: stored.conversationId,
      contactId: stored.contactId,
      providerMessageId,
      duplicate: stored.duplicate,
    });
  });
}
