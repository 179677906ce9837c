import type { AgentTestStep, ExpectationVerdict } from '../agent-tests/agent-test-case.ts';

/**
 * What other app ids ask conversation-actors through Dapr service invocation
 * (`/v1.0/invoke/conversation-actors/method/...`): whether AI replies are on, and a business's AI queue.
 */
export const serviceStatusPaths = {
  aiStatus: 'internal/ai-status',
  queueStats: (businessId: string) => `internal/queue-stats/${encodeURIComponent(businessId)}`,
};

/** tenant-api → conversation-actors: run a business's agent test cases (service invocation path in Kubernetes). */
export const agentTestRunPath = 'internal/agent-tests/run';

export interface AgentTestRunRequest {
  businessId: string;
  /** Unsaved settings to try instead of the saved ones (fields left out keep the saved value). */
  draft?: { systemPrompt?: string; model?: string };
  cases: Array<{ id: string; name: string; steps: AgentTestStep[] }>;
}

export interface AgentTestToolCall {
  name: string;
  /** The arguments as the model wrote them. */
  arguments: string;
  /** Tools that change something outside the reply are not run in a test: their call is checked, not made. */
  simulated: boolean;
  error: string | null;
}

export interface AgentTestTurnResult {
  customer: string;
  /** What the customer would have read (every text part, media shown as `[kind] title`). */
  reply: string;
  toolCalls: AgentTestToolCall[];
  verdicts: ExpectationVerdict[];
  passed: boolean;
}

export interface AgentTestCaseResult {
  id: string;
  name: string;
  passed: boolean;
  /** Set when the case could not run to its end (the model failed): the case fails. */
  error: string | null;
  turns: AgentTestTurnResult[];
}

export interface AgentTestRunResult {
  passed: number;
  failed: number;
  cases: AgentTestCaseResult[];
}
