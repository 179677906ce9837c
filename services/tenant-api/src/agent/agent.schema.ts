import { z } from 'zod';
import { isIanaTimeZone } from './time-zone.ts';

export const updateAgentBodySchema = z
  .strictObject({
    systemPrompt: z
      .string()
      .max(20_000)
      .describe('May use {{now}}, {{date}}, {{time}}, {{weekday}}, {{timezone}}, {{business_name}}, {{contact_name}}.'),
    model: z.string().trim().min(1).max(100),
    bufferSeconds: z.number().int().min(0).max(300),
    maxBufferSeconds: z.number().int().min(0).max(3600).describe('At least bufferSeconds.'),
    historyLimit: z.number().int().min(0).max(200),
    handoffMinutes: z
      .number()
      .int()
      .min(0)
      .max(10_080)
      .describe('How long an operator reply pauses the bot for the contact; 0 = until switched back.'),
    timezone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Europe/Madrid'),
    botEnabled: z.boolean().describe('The business-wide bot switch.'),
    objective: z
      .enum(['SALES', 'APPOINTMENTS'])
      .describe(
        'What the business does over WhatsApp: it picks the agent’s built-in tools and the console’s pages. Owner only; both data sets are kept.',
      ),
  })
  .partial()
  .describe('Fields left out keep their current value.');
export type UpdateAgentInput = z.infer<typeof updateAgentBodySchema>;

export const aiStatusSchema = z.object({ enabled: z.boolean(), reason: z.string().nullable() });

export const agentViewSchema = z.object({
  systemPrompt: z.string(),
  model: z.string(),
  bufferSeconds: z.number().int(),
  maxBufferSeconds: z.number().int(),
  historyLimit: z.number().int(),
  handoffMinutes: z.number().int(),
  timezone: z.string(),
  botEnabled: z.boolean(),
  objective: z.enum(['SALES', 'APPOINTMENTS']),
  /** The billing plan ('free' until billing defines others). */
  plan: z.string(),
  updatedAt: z.string(),
  /** Whether the platform can produce AI replies at all (a model is configured). */
  aiReplies: aiStatusSchema,
  /** The system prompt with its variables resolved now, in the business's time zone. */
  promptPreview: z.string(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

export const queueStatsSchema = z
  .record(z.string(), z.unknown())
  .describe('In-flight, waiting, failed and quarantined buffers, as conversation-actors reports them.');
