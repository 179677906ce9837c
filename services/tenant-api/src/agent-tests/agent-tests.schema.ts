import { agentTestCaseInputSchema, agentTestExpectationSchema } from '@app/domain';
import { z } from 'zod';

export const agentTestCaseBodySchema = agentTestCaseInputSchema.describe(
  'A scripted conversation: in each step the customer writes, and the agent’s answer must (not) call a tool or mention a text.',
);

export const agentTestCaseViewSchema = agentTestCaseInputSchema.extend({
  id: z.string().uuid(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentTestCaseView = z.infer<typeof agentTestCaseViewSchema>;

export const agentTestCaseListSchema = z.object({ items: z.array(agentTestCaseViewSchema) });

export const runAgentTestsBodySchema = z.strictObject({
  draft: z
    .strictObject({ systemPrompt: z.string().max(20_000), model: z.string().trim().min(1).max(100) })
    .partial()
    .optional()
    .describe('Unsaved agent settings to try; left out, the saved settings run.'),
  caseIds: z.array(z.string().uuid()).min(1).max(50).optional().describe('Which cases to run; left out, all of them.'),
});

const verdictSchema = z.object({ expectation: agentTestExpectationSchema, passed: z.boolean(), detail: z.string().nullable() });

export const agentTestRunViewSchema = z.object({
  passed: z.number().int(),
  failed: z.number().int(),
  cases: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      passed: z.boolean(),
      error: z.string().nullable(),
      turns: z.array(
        z.object({
          customer: z.string(),
          reply: z.string(),
          toolCalls: z.array(z.object({ name: z.string(), arguments: z.string(), simulated: z.boolean(), error: z.string().nullable() })),
          verdicts: z.array(verdictSchema),
          passed: z.boolean(),
        }),
      ),
    }),
  ),
});
