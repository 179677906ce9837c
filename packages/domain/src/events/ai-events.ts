import { z } from 'zod';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

export const AiReplyRequested = defineEvent(
  'ai-reply.requested',
  Topics.aiRequests,
  z.object({
    bufferId: z.string(),
    businessId: z.string(),
    instanceId: z.string(),
    conversationId: z.string(),
    contactId: z.string(),
    messageIds: z.array(z.string()).min(1),
    firstMessageAt: z.string(),
    lastMessageAt: z.string(),
    /** 1-based; the actor re-requests with attempt + 1 after a failure, up to the retry policy's limit. */
    attempt: z.number().int().min(1),
  }),
);

/**
 * The actor gave up on a buffer (last attempt failed, or the job was lost each time): the AI workers mark its
 * MessageBuffer row quarantined (failedAt, failureReason) so an admin sees it. Travels on ai.requests.
 */
export const AiReplyQuarantined = defineEvent(
  'ai-reply.quarantined',
  Topics.aiRequests,
  z.object({
    bufferId: z.string(),
    businessId: z.string(),
    conversationId: z.string(),
    messageIds: z.array(z.string()),
    firstMessageAt: z.string(),
    lastMessageAt: z.string(),
    attempts: z.number().int().min(0),
    reason: z.string(),
  }),
);
