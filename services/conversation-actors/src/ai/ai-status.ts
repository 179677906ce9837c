import type { ConversationActorsConfig } from '../config.ts';

export type AiStatus = { enabled: true; endpoint: 'openai' | 'custom'; concurrency: number } | { enabled: false; reason: string };

export const AI_DISABLED_REASON = 'No AI model configured: set OPENAI_API_KEY or OPENAI_BASE_URL';

/** AI replies run when a model endpoint is configured: OpenAI (a key) or any compatible server (a base URL). */
export function aiStatusFor(config: ConversationActorsConfig): AiStatus {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return { enabled: false, reason: AI_DISABLED_REASON };
  return { enabled: true, endpoint: config.OPENAI_BASE_URL ? 'custom' : 'openai', concurrency: config.WORKER_CONCURRENCY };
}
