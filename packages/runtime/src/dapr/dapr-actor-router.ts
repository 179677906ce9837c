import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { ActorContext, ActorDefinition } from '../ports/actor-host.ts';
import { AppError } from '../service/app-error.ts';
import { requireAppToken } from './app-token.ts';

export interface DaprActorRouterOptions {
  appApiToken: string | undefined;
  logger: Logger;
  onHandshake?: (path: string, accepted: boolean) => void;
  config(): Record<string, unknown>;
  definition(actorType: string): ActorDefinition | undefined;
  runTurn<T>(actorType: string, actorId: string, body: (context: ActorContext) => Promise<T>): Promise<T>;
  deactivate(actorType: string, actorId: string): Promise<void>;
}

type ActorParams = { type: string; id: string; method?: string; name?: string };

/**
 * The sidecar → app half of the actor contract (research/dapr.md §2.1). Every route answers; none lets an error
 * escape (the SDK's timer, reminder and deactivate routes crash the process, research §3). Method errors are 500
 * with our error body, which daprd relays inside ERR_ACTOR_INVOKE_METHOD; an unknown method or type is 404.
 */
export function createDaprActorRouter(options: DaprActorRouterOptions): Router {
  const router = express.Router();
  const { logger } = options;
  // The body is parsed per route so that this router never consumes bodies meant for the app's own routes.
  const body = express.text({ type: () => true, limit: '16mb' });
  const token = requireAppToken(options.appApiToken);
  const handshakeToken = requireAppToken(options.appApiToken, { logger, onHandshake: options.onHandshake });

  router.get('/dapr/config', handshakeToken, (_request, response) => {
    response.json(options.config());
  });

  router.put('/actors/:type/:id/method/timer/:name', token, body, (request, response) => void scheduledCall(request, response, 'timer'));
  router.put('/actors/:type/:id/method/remind/:name', token, body, (request, response) => void scheduledCall(request, response, 'reminder'));

  router.put('/actors/:type/:id/method/:method', token, body, async (request: Request<ActorParams>, response: Response) => {
    const { type, id, method = '' } = request.params;
    const handler = options.definition(type)?.methods[method];
    if (!handler) return sendError(response, new AppError('NOT_FOUND', `Actor type "${type}" has no method "${method}".`));
    let argument: unknown;
    try {
      argument = parseBody(request.body);
    } catch {
      return sendError(response, new AppError('VALIDATION_FAILED', 'The actor call body is not JSON.'));
    }
    try {
      const result = await options.runTurn(type, id, (context) => handler(context, argument));
      response
        .status(200)
        .type('application/json')
        .send(result === undefined ? '' : JSON.stringify(result));
    } catch (error) {
      sendError(response, error, { logger, type, id, method });
    }
  });

  router.delete('/actors/:type/:id', token, async (request: Request<ActorParams>, response: Response) => {
    // Always 200: an id this process never activated (an app restart under a live daprd) is already gone.
    try {
      await options.deactivate(request.params.type, request.params.id);
    } catch (error) {
      logger.warn({ event: 'dapr_actor.deactivate_failed', err: error }, 'deactivation failed');
    }
    response.status(200).end();
  });

  async function scheduledCall(request: Request, response: Response, kind: 'timer' | 'reminder'): Promise<void> {
    const { type, id, name = '' } = request.params as ActorParams;
    const definition = options.definition(type);
    if (!definition) return sendError(response, new AppError('NOT_FOUND', `No actor type "${type}" is hosted here.`));
    let data: unknown;
    try {
      data = payloadData(parseBody(request.body), name);
    } catch {
      // A malformed tick cannot succeed on retry either: acknowledge it so the Scheduler stops.
      logger.warn({ event: 'dapr_actor.malformed_tick', kind, actorType: type, name }, 'malformed timer/reminder body');
      response.status(200).end();
      return;
    }
    try {
      // `callback` is ignored on purpose: a forwarded tick may carry callback:"" (dapr #10088).
      await options.runTurn(type, id, (context) => definition.onReminder(context, name, data));
      response.status(200).end();
    } catch (error) {
      sendError(response, error, { logger, type, id, method: `${kind}:${name}` });
    }
  }

  return router;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body === '' || body === 'undefined') return undefined;
  return JSON.parse(body);
}

/** Timer ticks carry `{callback, data, dueTime, period}`, reminders `{data, dueTime, period}`; our data is `{name, data}`. */
function payloadData(body: unknown, name: string): unknown {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (data && typeof data === 'object' && 'name' in data && 'data' in data && (data as { name: unknown }).name === name) {
    return (data as { data: unknown }).data;
  }
  return data ?? null;
}

function sendError(response: Response, error: unknown, context?: { logger: Logger; type: string; id: string; method: string }): void {
  if (error instanceof AppError) {
    const status = error.code === 'NOT_FOUND' && !context ? 404 : 500;
    response.status(status).json({ error: { code: error.code, message: error.message, details: error.details } });
    return;
  }
  context?.logger.error(
    { event: 'dapr_actor.turn_failed', actorType: context.type, actorId: context.id, method: context.method, err: error },
    'actor turn failed',
  );
  response.status(500).json({ error: { code: 'INTERNAL', message: 'The actor turn failed.', details: null } });
}
