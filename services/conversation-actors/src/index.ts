export { registerConversationActors, AI_WORKERS_GROUP } from './register-conversation-actors.ts';
export type { ConversationActorsDependencies, ConversationActorsService } from './register-conversation-actors.ts';
export {
  aiJobTimeoutSeconds,
  conversationActorsConfig,
  conversationActorsConfigSchema,
  loadConversationActorsConfig,
  loadConversationActorsKubernetesConfig,
} from './config.ts';
export { conversationActorsAppId, startConversationActorsService } from './kubernetes/start-conversation-actors-service.ts';
export type { ConversationActorsServiceOptions } from './kubernetes/start-conversation-actors-service.ts';
export { createServiceStatusRouter } from './kubernetes/service-status.router.ts';
export type { ConversationActorsConfig } from './config.ts';
export { AI_DISABLED_REASON, aiStatusFor } from './ai/ai-status.ts';
export type { AiStatus } from './ai/ai-status.ts';
export type { WorkerStats } from './ai/concurrency-limiter.ts';
export { getQueueStats } from './queue-stats/queue-stats.ts';
export type { QueueStats } from './queue-stats/queue-stats.ts';
export {
  conversationActorDefinition,
  createConversationActorDefinition,
  defaultConversationActorOptions,
} from './conversation/conversation-actor.definition.ts';
export { ConversationActor, Reminders } from './conversation/conversation-actor.ts';
export type { ConversationActorOptions } from './conversation/conversation-actor.ts';
export { CONVERSATION_ACTORS_GROUP } from './subscriptions/inbound-message.subscription.ts';
export { releaseAbandonedBufferLeases } from './ai/buffer-lease.repository.ts';
export { createReplyComposer } from './ai/tools/files/reply-composer.ts';
export type { ReplyComposerDependencies } from './ai/tools/files/reply-composer.ts';
export { createMediaLinkCheck } from './ai/tools/files/media-link-check.ts';
export type { MediaLinkCheck } from './ai/tools/files/media-link-check.ts';
