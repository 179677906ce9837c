import { z } from 'zod';

/**
 * A business's test suite for its agent: short scripted conversations ("the customer says X → the agent must call
 * tool Y / must mention Z / must not mention W"), run in the sandbox against the saved or a draft configuration.
 * The schema and the verdict live here, without I/O; running a case is the AI worker's.
 */
export const agentTestExpectationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('calls_tool'), tool: z.string().trim().min(1).max(64) }),
  z.object({ type: z.literal('does_not_call_tool'), tool: z.string().trim().min(1).max(64) }),
  z.object({ type: z.literal('mentions'), text: z.string().trim().min(1).max(200) }),
  z.object({ type: z.literal('does_not_mention'), text: z.string().trim().min(1).max(200) }),
]);
export type AgentTestExpectation = z.infer<typeof agentTestExpectationSchema>;

export const agentTestStepSchema = z.object({
  /** What the customer writes in this turn. */
  customer: z.string().trim().min(1).max(2000),
  /** What the agent's answer to this turn must (not) do; may be empty for a turn that only sets the scene. */
  expect: z.array(agentTestExpectationSchema).max(20).default([]),
});
export type AgentTestStep = z.infer<typeof agentTestStepSchema>;

export const agentTestCaseInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  steps: z.array(agentTestStepSchema).min(1).max(10),
});
export type AgentTestCaseInput = z.infer<typeof agentTestCaseInputSchema>;

/** What the agent did in one turn, as the verdict needs it. */
export interface AgentTurnOutcome {
  /** Everything the customer would read in this turn (text parts joined; media as their captions or titles). */
  text: string;
  /** Names of the tools the agent called in this turn, in order. */
  toolCalls: string[];
}

export interface ExpectationVerdict {
  expectation: AgentTestExpectation;
  passed: boolean;
  /** Why it failed, in words an operator reads in the console. */
  detail: string | null;
}

/** Case, accents and repeated spaces do not matter to a customer reading "Envío gratis" or "envio  GRATIS". */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function judgeExpectation(expectation: AgentTestExpectation, outcome: AgentTurnOutcome): ExpectationVerdict {
  const calls = (tool: string) => outcome.toolCalls.includes(tool);
  const mentions = (text: string) => normalizeForMatch(outcome.text).includes(normalizeForMatch(text));
  const called = outcome.toolCalls.length > 0 ? outcome.toolCalls.join(', ') : 'none';
  switch (expectation.type) {
    case 'calls_tool':
      return verdict(expectation, calls(expectation.tool), `the agent did not call ${expectation.tool} (it called: ${called})`);
    case 'does_not_call_tool':
      return verdict(expectation, !calls(expectation.tool), `the agent called ${expectation.tool}`);
    case 'mentions':
      return verdict(expectation, mentions(expectation.text), `the answer does not mention "${expectation.text}"`);
    case 'does_not_mention':
      return verdict(expectation, !mentions(expectation.text), `the answer mentions "${expectation.text}"`);
  }
}

/** Every expectation of a turn, judged; the turn passes when all of them do. */
export function judgeTurn(step: AgentTestStep, outcome: AgentTurnOutcome): { passed: boolean; verdicts: ExpectationVerdict[] } {
  const verdicts = step.expect.map((expectation) => judgeExpectation(expectation, outcome));
  return { passed: verdicts.every((entry) => entry.passed), verdicts };
}

function verdict(expectation: AgentTestExpectation, passed: boolean, failure: string): ExpectationVerdict {
  return { expectation, passed, detail: passed ? null : failure };
}
