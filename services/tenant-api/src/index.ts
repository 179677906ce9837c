// Public entry of @app/tenant-api: no side effects on import.
export { createTenantApi } from './app.ts';
export type { TenantApiDependencies, AiStatus } from './dependencies.ts';
export { loadTenantApiConfig, tenantApiConfigSchema, trustProxySetting, type TenantApiConfig } from './config.ts';
export { createMailer, type Mailer, type MailMessage } from './auth/mailer.ts';
export type { InstanceCredentials } from './instances/credentials-box.ts';
export type { PodRestartView, SessionControl, SessionStatusView } from './instances/session-control.ts';
export { createSandboxEgressHandler, sandboxEgressSubscription } from './sandbox/sandbox-egress.subscription.ts';
export { tenantApiRouteDocs } from './openapi/openapi.router.ts';
export { createLiveUpdates, type LiveUpdates, type LiveUpdatesOptions } from './live/create-live-updates.ts';
export { LIVE_UPDATES_GROUP } from './live/live-outbox.subscription.ts';
export type { LiveEvent, LiveEventType, DeliveredLiveEvent, LiveEventPayloads } from './live/live-event.ts';
