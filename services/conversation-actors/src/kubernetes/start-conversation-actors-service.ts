import type { ToolProvider } from '@app/domain';
import { startDaprService, type DaprService, type OutboxRelayOptions } from '@app/runtime/dapr';
import { SecretBox } from '@app/db';
import type { Clock } from '@app/runtime/ports';
import { httpToolCallerFromSettings } from '@app/runtime/providers';
import { daprHttpUrlOf, type KubernetesConfig, type Logger } from '@app/runtime/service';
import type { ConversationActorsConfig } from '../config.ts';
import { registerConversationActors } from '../register-conversation-actors.ts';
import { createServiceStatusRouter } from './service-status.router.ts';

export const conversationActorsAppId = 'conversation-actors';

export interface ConversationActorsServiceOptions {
  config: KubernetesConfig<ConversationActorsConfig>;
  logger?: Logger;
  clock?: Clock;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'retry' | 'leaseMs'>;
  /** Tools beyond the platform's own (tests); see registerConversationActors. */
  extraToolProviders?: readonly ToolProvider[];
}

/**
 * Kubernetes composition of the conversation-actors deployable (Dapr app id `conversation-actors`): the only app
 * id that hosts the ConversationActor, and the subscriber of messages.inbound, contacts.bot-control, ai.requests
 * (the AI workers) and the cancellations on messages.outbound. It waits for tenant-api to migrate the schema.
 */
export function startConversationActorsService(options: ConversationActorsServiceOptions): Promise<DaprService> {
  const { kubernetes, service: config } = options.config;
  return startDaprService({
    service: 'conversation-actors',
    settings: kubernetes,
    migrations: 'await',
    logger: options.logger,
    clock: options.clock,
    relay: options.relay,
    compose: ({ prisma, logger, clock, pubsub, hostActors }) => {
      const conversations = registerConversationActors({
        host: hostActors(),
        pubsub,
        prisma,
        logger,
        clock,
        config,
        acknowledgeAiJobs: 'when-taken',
        // The businesses' HTTP tools need tenant-api's CREDENTIALS_KEY to open their header values; without it they are off.
        ...(config.CREDENTIALS_KEY
          ? {
              httpTools: {
                credentials: SecretBox.fromCredentialsKey(config.CREDENTIALS_KEY),
                caller: httpToolCallerFromSettings(config, { daprHttpUrl: daprHttpUrlOf(kubernetes), apiToken: kubernetes.DAPR_API_TOKEN }),
              },
            }
          : {}),
        ...(options.extraToolProviders ? { extraToolProviders: options.extraToolProviders } : {}),
      });
      return {
        mount: (app) => app.use(createServiceStatusRouter(conversations, kubernetes.APP_API_TOKEN)),
        stop: () => conversations.stop(),
      };
    },
  });
}
