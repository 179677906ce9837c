import { agentTestRunPath, serviceStatusPaths, type AgentTestRunResult } from '@app/domain';
import { startDaprService, type DaprService, type DaprServiceContext, type OutboxRelayOptions } from '@app/runtime/dapr';
import type { Clock } from '@app/runtime/ports';
import { httpToolCallerFromSettings } from '@app/runtime/providers';
import { AppError, daprHttpUrlOf, objectStoreFromSettings, type Logger } from '@app/runtime/service';
import { createTenantApi } from './app.ts';
import { createMailer } from './auth/mailer.ts';
import { trustProxySetting, type TenantApiKubernetesConfig } from './config.ts';
import type { AiStatus } from './dependencies.ts';
import { createRemoteSessionControl } from './instances/remote-session-control.ts';
import { createLiveUpdates } from './live/create-live-updates.ts';
import { sandboxEgressSubscription } from './sandbox/sandbox-egress.subscription.ts';

export interface TenantApiServiceOptions {
  config: TenantApiKubernetesConfig;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
  /** How often the AI status is asked of conversation-actors (default 30 s). */
  aiStatusRefreshMs?: number;
}

/**
 * Kubernetes composition of the tenant-api deployable (Dapr app id `tenant-api`): the REST API under /api, the
 * sandbox provider's egress on messages.outbound, live updates (fanned out through Redis), and the schema migrations (the one deployable that applies
 * them). The AI status and queue statistics come from conversation-actors through Dapr service invocation.
 */
const agentTestRunTimeoutMs = 5 * 60_000;

export function startTenantApiService(options: TenantApiServiceOptions): Promise<DaprService> {
  const { kubernetes, service: config } = options.config;
  return startDaprService({
    service: 'tenant-api',
    settings: kubernetes,
    migrations: 'apply',
    logger: options.logger,
    clock: options.clock,
    relay: options.relay,
    compose: (context) => {
      const { prisma, logger, clock, pubsub } = context;
      pubsub.subscribe(sandboxEgressSubscription({ prisma, logger, clock }));
      // One replica takes each event off the outbox group and fans it out through Redis to every replica's streams.
      const live = createLiveUpdates({ prisma, logger, clock, redisUrl: config.REDIS_URL });
      for (const subscription of live.subscriptions) pubsub.subscribe(subscription);
      const aiStatus = remoteAiStatus(context, config.CONVERSATION_ACTORS_APP_ID, options.aiStatusRefreshMs ?? 30_000);
      const api = createTenantApi({
        prisma,
        logger,
        clock,
        config,
        mailer: createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }),
        live,
        objectStore: objectStoreFromSettings(config),
        // "Test this tool" goes out the way the agent's calls do: the Dapr HTTP binding when HTTP_TOOLS_BINDING names one.
        httpToolCaller: httpToolCallerFromSettings(config, { daprHttpUrl: daprHttpUrlOf(kubernetes), apiToken: kubernetes.DAPR_API_TOKEN }),
        // Each Baileys session runs on the StatefulSet pod whose ordinal is its slot (docs/adr/0007-baileys-session-routing.md).
        sessions: createRemoteSessionControl({ prisma, podUrl: config.BAILEYS_POD_URL_TEMPLATE, token: kubernetes.APP_API_TOKEN }),
        aiStatus: aiStatus.current,
        queueStats: async (businessId) => {
          try {
            return await context.invokeService(config.CONVERSATION_ACTORS_APP_ID, 'GET', serviceStatusPaths.queueStats(businessId));
          } catch (error) {
            throw new AppError('UNAVAILABLE', 'Queue statistics are unavailable right now.', null, { cause: error });
          }
        },
        // A suite makes several model calls per case: minutes, not the sidecar's usual 10 s.
        runAgentTests: async (request) => {
          try {
            return await context.invokeService<AgentTestRunResult>(config.CONVERSATION_ACTORS_APP_ID, 'POST', agentTestRunPath, request, {
              timeoutMs: agentTestRunTimeoutMs,
            });
          } catch (error) {
            throw new AppError('UNAVAILABLE', 'The agent tests could not run right now.', null, { cause: error });
          }
        },
      });
      return {
        mount: (app) => {
          // Behind the ingress the socket's address is the proxy's: rate limits need the client's.
          const trustProxy = trustProxySetting(config.TRUST_PROXY);
          if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
          app.use('/api', api);
        },
        start: aiStatus.start,
        stop: async () => {
          await live.stop(); // open event streams would otherwise hold the HTTP server open
          await aiStatus.stop();
        },
      };
    },
  });
}

/** The AI side's status, asked of conversation-actors in the background; "unknown" until it first answers. */
function remoteAiStatus(context: DaprServiceContext, appId: string, refreshMs: number) {
  let status: AiStatus = { enabled: false, reason: 'AI status unknown: conversation-actors has not answered yet.' };
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    try {
      const answer = await context.invokeService<{ enabled: boolean; reason?: string }>(appId, 'GET', serviceStatusPaths.aiStatus);
      status = answer.enabled ? { enabled: true, reason: null } : { enabled: false, reason: answer.reason ?? 'AI replies are off.' };
    } catch (error) {
      // Keep the last known status; conversation-actors may be restarting.
      context.logger.debug({ event: 'tenant_api.ai_status_unavailable', err: error }, 'AI status not refreshed');
    }
  };
  return {
    current: () => status,
    start: async () => {
      void refresh();
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
    },
    stop: async () => clearInterval(timer),
  };
}
