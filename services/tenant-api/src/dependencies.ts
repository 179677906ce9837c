import type { PrismaClient } from '@app/db';
import type { AgentTestRunRequest, AgentTestRunResult } from '@app/domain';
import type { Clock, ObjectStore } from '@app/runtime/ports';
import type { HttpToolCaller } from '@app/runtime/providers';
import type { Logger } from '@app/runtime/service';
import type { TenantApiConfig } from './config.ts';
import type { Mailer } from './auth/mailer.ts';
import type { SessionControl } from './instances/session-control.ts';
import type { LiveUpdates } from './live/create-live-updates.ts';

/** What the AI side reports about itself; shown on GET /agent so an operator sees when replies are off. */
export interface AiStatus {
  enabled: boolean;
  /** Why AI replies are off (e.g. "OPENAI_API_KEY and OPENAI_BASE_URL are not set"); null when enabled. */
  reason: string | null;
}

/**
 * Everything the tenant API needs from its host. The standalone launcher and the Kubernetes entry build these
 * from their own adapters; nothing here is created on import.
 */
export interface TenantApiDependencies {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  config: TenantApiConfig;
  /** Sends the verification e-mail. Null when SMTP_URL is unset: the link is logged instead. */
  mailer: Mailer | null;
  aiStatus: () => AiStatus;
  /** Queue and actor statistics for one business (conversation-actors provides it); absent → 503. */
  queueStats?: (businessId: string) => Promise<unknown>;
  /** Runs agent test cases in the sandbox (conversation-actors provides it); absent → POST /agent/tests/run answers 503. */
  runAgentTests?: (request: AgentTestRunRequest) => Promise<AgentTestRunResult>;
  /** Live updates (createLiveUpdates); absent → POST /live/tickets and GET /live answer 503. */
  live?: LiveUpdates;
  /** WhatsApp Web (Baileys) sessions (baileys-sessions' SessionHost); absent → the session routes answer 503. */
  sessions?: SessionControl;
  /** Where providers store downloaded media (the same store baileys-sessions writes); absent → GET /messages/:id/media answers 503. */
  objectStore?: ObjectStore;
  /** How "test this tool" calls a business's HTTP tool (Kubernetes: through the Dapr binding); absent → directly, under the SSRF guard of HTTP_TOOLS_* settings. */
  httpToolCaller?: HttpToolCaller;
}
