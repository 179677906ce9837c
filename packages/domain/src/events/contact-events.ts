import { z } from 'zod';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

export const ContactBotToggled = defineEvent(
  'contact.bot-toggled',
  Topics.contactsBotControl,
  z.object({
    businessId: z.string(),
    contactId: z.string(),
    botDisabled: z.boolean(),
    /** The bot resumes by itself at this time (ISO 8601); null = until switched back by hand. */
    until: z.string().nullable(),
    reason: z.enum(['operator_toggle', 'operator_reply']),
  }),
);
