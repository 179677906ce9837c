/**
 * What other app ids ask conversation-actors through Dapr service invocation
 * (`/v1.0/invoke/conversation-actors/method/...`): whether AI replies are on, and a business's AI queue.
 */
export const serviceStatusPaths = {
  aiStatus: 'internal/ai-status',
  queueStats: (businessId: string) => `internal/queue-stats/${encodeURIComponent(businessId)}`,
};
