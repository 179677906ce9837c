import type { PrismaClient } from '@app/db';
import {
  judgeTurn,
  type AgentTestCaseResult,
  type AgentTestRunRequest,
  type AgentTestRunResult,
  type AgentTestTurnResult,
  type AgentTool,
  type ReplyPart,
  type ToolProvider,
  type ToolScope,
} from '@app/domain';
import type { Clock } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { ModelError, type ChatMessage, type ChatModel } from '../model/chat-model.ts';
import { buildReplyPrompt } from '../reply-prompt.ts';
import { runToolLoop, scratchJournal } from '../tool-loop.ts';
import { loadTools } from '../tools/tool-registry.ts';
import { ToolRunner } from '../tools/tool-runner.ts';

export interface AgentTestRunnerDependencies {
  prisma: PrismaClient;
  model: ChatModel;
  clock: Clock;
  logger: Logger;
  toolProviders: readonly ToolProvider[];
  maxToolRounds: number;
  maxOutputTokens?: number;
  /** Cases run side by side (each case's turns one after the other). */
  concurrency?: number;
}

/** A test conversation belongs to no contact: tools that read the contact find nothing, as for a new customer. */
const nobody = '00000000-0000-0000-0000-000000000000';

const simulatedResult = {
  simulated: true,
  note: 'Test run: this tool changes something outside the conversation, so it was not executed. Assume it succeeded.',
};

/**
 * Runs a business's agent test cases against its saved settings or a draft, through the same prompt builder, tools
 * and tool loop as a real reply — but nothing is sent or stored: the loop keeps no journal, tools with side effects
 * are not run (the model is told they succeeded, and the call itself is what a case checks), and each case is a
 * fresh conversation whose turns build on each other. The tokens are recorded (feature `agent_test`): they are spent.
 */
export function createAgentTestRunner(dependencies: AgentTestRunnerDependencies) {
  const runner = new ToolRunner();
  const { prisma, model, clock } = dependencies;

  async function settingsOf(request: AgentTestRunRequest) {
    const business = await prisma.business.findUnique({ where: { id: request.businessId }, include: { agentConfig: true } });
    if (!business) return null;
    return {
      business,
      systemPrompt: request.draft?.systemPrompt ?? business.agentConfig?.systemPrompt ?? '',
      model: request.draft?.model ?? business.agentConfig?.model ?? 'gpt-4o-mini',
    };
  }

  async function runCase(
    settings: NonNullable<Awaited<ReturnType<typeof settingsOf>>>,
    testCase: AgentTestRunRequest['cases'][number],
  ): Promise<AgentTestCaseResult> {
    const logger = dependencies.logger.child({ businessId: settings.business.id, agentTest: testCase.id });
    const scope: ToolScope = { businessId: settings.business.id, contactId: nobody, conversationId: nobody };
    const loaded = await loadTools(dependencies.toolProviders, scope, logger);
    const tools = new Map([...loaded.tools].map(([name, tool]) => [name, tool.sideEffects ? simulated(tool) : tool]));
    const [system] = buildReplyPrompt({
      systemPrompt: settings.systemPrompt,
      promptNotes: loaded.promptNotes,
      variables: { now: clock.now(), timezone: settings.business.timezone, businessName: settings.business.name, contactName: null },
      history: [],
      burst: [],
    });
    const dialogue: ChatMessage[] = [system!];
    const turns: AgentTestTurnResult[] = [];
    const tokens = { prompt: 0, completion: 0, total: 0 };
    let error: string | null = null;

    for (const [index, step] of testCase.steps.entries()) {
      dialogue.push({ role: 'user', content: step.customer });
      try {
        const loop = await runToolLoop(
          { journal: scratchJournal, model, runner, clock, logger },
          {
            call: { ...scope, instanceId: nobody, provider: 'SANDBOX' },
            bufferId: `agent-test:${testCase.id}:${index}`,
            attempt: 1,
            model: settings.model,
            messages: dialogue,
            tools,
            maxRounds: dependencies.maxToolRounds,
            ...(dependencies.maxOutputTokens ? { maxOutputTokens: dependencies.maxOutputTokens } : {}),
          },
        );
        for (const call of loop.modelCalls) {
          tokens.prompt += call.usage.promptTokens;
          tokens.completion += call.usage.completionTokens;
          tokens.total += call.usage.totalTokens;
        }
        const reply = [loop.text, ...loop.sendParts.map(describePart)].filter((part) => part.length > 0).join('\n');
        const toolCalls = loop.toolCalls.map((call) => ({
          name: call.name,
          arguments: call.arguments,
          simulated: loaded.tools.get(call.name)?.sideEffects === true,
          error: call.outcome.ok ? null : (call.outcome.error ?? 'failed'),
        }));
        const verdict = judgeTurn(step, { text: reply, toolCalls: toolCalls.map((call) => call.name) });
        turns.push({ customer: step.customer, reply, toolCalls, verdicts: verdict.verdicts, passed: verdict.passed });
        dialogue.push({ role: 'assistant', content: reply });
      } catch (failure) {
        error = failure instanceof ModelError ? failure.reason : failure instanceof Error ? failure.message : String(failure);
        logger.warn({ event: 'agent_test.model_failed', reason: error }, 'agent test case stopped: the model call failed');
        break;
      }
    }

    if (tokens.total > 0) {
      await prisma.tokenUsage.create({
        data: {
          businessId: settings.business.id,
          provider: model.provider,
          feature: 'agent_test',
          model: settings.model,
          promptTokens: tokens.prompt,
          completionTokens: tokens.completion,
          totalTokens: tokens.total,
        },
      });
    }
    const passed = error === null && turns.length === testCase.steps.length && turns.every((turn) => turn.passed);
    return { id: testCase.id, name: testCase.name, passed, error, turns };
  }

  return {
    async run(request: AgentTestRunRequest): Promise<AgentTestRunResult> {
      const settings = await settingsOf(request);
      if (!settings) return { passed: 0, failed: 0, cases: [] };
      const cases = await mapWithConcurrency(request.cases, dependencies.concurrency ?? 4, (testCase) => runCase(settings, testCase));
      const passed = cases.filter((result) => result.passed).length;
      return { passed, failed: cases.length - passed, cases };
    },
  };
}

export type AgentTestRunner = ReturnType<typeof createAgentTestRunner>;

function simulated(tool: AgentTool): AgentTool {
  return { ...tool, run: async () => ({ ok: true, result: simulatedResult }) };
}

/** How a media part reads in a test transcript (and what "mentions" matches): its kind and name. */
function describePart(part: ReplyPart): string {
  if (part.kind === 'text') return part.text;
  return `[${part.kind}] ${part.media.filename ?? part.media.caption ?? ''}`.trim();
}

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
