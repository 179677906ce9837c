import { Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from 'express';

export type ReadinessCheck = () => Promise<void>;

export interface Observability {
  registry: Registry;
  /** Times every HTTP request by method, route and status. */
  httpMetrics: RequestHandler;
}

export function createObservability(service: string): Observability {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpMetrics: RequestHandler = (request, response, next) => {
    const stop = duration.startTimer();
    response.on('finish', () => {
      // The matched route pattern, not the raw path, keeps label cardinality bounded.
      const route = request.route ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      stop({ method: request.method, route, status: response.statusCode });
    });
    next();
  };
  return { registry, httpMetrics };
}

/**
 * `/healthz` answers while the process lives (liveness); `/readyz` runs every readiness check (database reachable,
 * host started) and answers 503 naming the failing ones; `/metrics` is Prometheus text.
 */
export function createOperationalRouter(options: { registry: Registry; checks: Record<string, ReadinessCheck> }): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : 'failed'] as const;
        }
      }),
    );
    const failing = results.filter(([, result]) => result !== 'ok');
    response.status(failing.length === 0 ? 200 : 503).json({
      status: failing.length === 0 ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results),
    });
  });
  router.get('/metrics', async (_request, response) => {
    response.type(options.registry.contentType).send(await options.registry.metrics());
  });
  return router;
}
