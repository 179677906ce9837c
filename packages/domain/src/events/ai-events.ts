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
