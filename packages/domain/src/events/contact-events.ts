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

/** For automations (n8n) and open consoles: the value as the API shows it, null when cleared. */
export const ContactFieldChanged = defineEvent(
  'contact.field-changed',
  Topics.contactsFields,
  z.object({
    businessId: z.string(),
    contactId: z.string(),
    fieldKey: z.string(),
    value: z.union([z.string(), z.number()]).nullable(),
    setBy: z.enum(['AI', 'OPERATOR']),
    setByUserId: z.string().nullable(),
  }),
);
