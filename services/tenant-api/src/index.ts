// Public entry of @app/tenant-api: no side effects on import.
export { createTenantApi } from './app.ts';
export type { TenantApiDependencies, AiStatus } from './dependencies.ts';
export { loadTenantApiConfig, tenantApiConfigSchema, type TenantApiConfig } from './config.ts';
export { createMailer, type Mailer, type MailMessage } from './auth/mailer.ts';
export { createCredentialsBox, type InstanceCredentials } from './instances/credentials-box.ts';
export { createSandboxEgressHandler, sandboxEgressSubscription } from './sandbox/sandbox-egress.subscription.ts';
export { tenantApiRouteDocs } from './openapi/openapi.router.ts';
