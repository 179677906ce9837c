import { z } from 'zod';
import { defineEvent } from './define-event.ts';
import { Topics } from './topics.ts';

/** The business-wide bot switch changed (PUT /agent); the per-contact switch is contact.bot-toggled. */
export const BusinessBotToggled = defineEvent(
  'business.bot-toggled',
  Topics.businessesBotControl,
  z.object({
    businessId: z.string(),
    botEnabled: z.boolean(),
  }),
);
