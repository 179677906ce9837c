import express, { type ErrorRequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { AppError, errorMiddleware, rejectMalformedText } from '@app/runtime/service';
import { registerAgentRoutes } from './agent/agent.router.ts';
import { registerAgentTestRoutes } from './agent-tests/agent-tests.router.ts';
import { registerAppointmentRoutes } from './appointments/appointments.router.ts';
import { createApiServices } from './api-services.ts';
import { registerAuthRoutes } from './auth/auth.router.ts';
import { registerContactFieldRoutes } from './contact-fields/contact-fields.router.ts';
import { registerContactRoutes } from './contacts/contacts.router.ts';
import { registerConversationRoutes } from './conversations/conversations.router.ts';
import type { TenantApiDependencies } from './dependencies.ts';
import { registerHttpToolRoutes } from './http-tools/http-tools.router.ts';
import { registerFileRoutes } from './files/files.router.ts';
import { registerInstanceSessionRoutes } from './instances/instance-session.router.ts';
import { registerInstanceRoutes } from './instances/instances.router.ts';
import { registerLiveRoutes } from './live/live.router.ts';
import { registerMessageMediaRoutes } from './messages/message-media.router.ts';
import { registerOpenApiRoute } from './openapi/openapi.router.ts';
import { registerOrderRoutes } from './orders/orders.router.ts';
import { registerProductRoutes } from './products/products.router.ts';
import { registerSandboxRoutes } from './sandbox/sandbox.router.ts';

/**
 * The tenant API as an express router, to be mounted at `/api` (standalone launcher, Kubernetes entry, tests).
 * Routes are registered with their full paths on this one router so the OpenAPI test can list them.
 * Throws ConfigError when JWT_SECRET or CREDENTIALS_KEY is missing.
 */
export function createTenantApi(deps: TenantApiDependencies): Router {
  const services = createApiServices(deps);
  const router = express.Router();
  // An API answers JSON (and one small HTML page): nothing it serves may load anything, run script or be framed.
  // Media routes set their own stricter headers on top.
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'unsafe-inline'"],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  router.use(express.json({ limit: '256kb' }));
  router.use(rejectMalformedText());

  registerOpenApiRoute(router);
  registerAuthRoutes(router, services);
  registerInstanceRoutes(router, services);
  registerInstanceSessionRoutes(router, services);
  registerAgentRoutes(router, services);
  registerAgentTestRoutes(router, services);
  registerHttpToolRoutes(router, services);
  registerAppointmentRoutes(router, services);
  registerConversationRoutes(router, services);
  registerMessageMediaRoutes(router, services);
  registerContactRoutes(router, services);
  registerContactFieldRoutes(router, services);
  registerFileRoutes(router, services);
  registerProductRoutes(router, services);
  registerOrderRoutes(router, services);
  registerSandboxRoutes(router, services);
  registerLiveRoutes(router, services);

  router.use(retryAfterHeader);
  router.use(errorMiddleware(deps.logger));
  return router;
}

/** A 429 tells the client when to come back. */
const retryAfterHeader: ErrorRequestHandler = (error, _request, response, next) => {
  const retryAfterSeconds = (error instanceof AppError && error.code === 'RATE_LIMITED' ? error.details : null) as {
    retryAfterSeconds?: number;
  } | null;
  if (retryAfterSeconds?.retryAfterSeconds) response.set('Retry-After', String(retryAfterSeconds.retryAfterSeconds));
  next(error);
};
