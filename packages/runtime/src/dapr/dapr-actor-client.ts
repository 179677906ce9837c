import type { ActorClient } from '../ports/actor-host.ts';
import { AppError, httpStatusByCode, type AppErrorCode } from '../service/app-error.ts';
import { DaprSidecarClient, SidecarError } from './dapr-sidecar-client.ts';

export interface DaprActorClientOptions {
  /** The sidecar's HTTP address, e.g. `http://127.0.0.1:3500` (DAPR_HTTP_PORT). */
  daprHttpUrl: string;
  daprApiToken?: string;
}

/**
 * Invokes actors through the sidecar (`POST /v1.0/actors/T/I/method/M`, body = the JSON argument). An empty body
 * and the string "undefined" (what SDK-hosted actors send for void) both mean undefined. An actor's AppError
 * travels back inside daprd's ERR_ACTOR_INVOKE_METHOD message and is rethrown with its code.
 */
export function createDaprActorClient(options: DaprActorClientOptions): ActorClient {
  const sidecar = new DaprSidecarClient(options);
  return {
    async invoke<TResult>(actorType: string, actorId: string, method: string, argument?: unknown): Promise<TResult> {
      const path = `${sidecar.actorPath(actorType, actorId)}/method/${encodeURIComponent(method)}`;
      let response: Response;
      try {
        response = await sidecar.request('POST', path, argument, `actor call ${actorType}.${method}`);
      } catch (error) {
        throw error instanceof SidecarError ? (actorErrorFrom(error) ?? error) : error;
      }
      return parseResult(await response.text()) as TResult;
    },
  };
}

function parseResult(text: string): unknown {
  if (text === '' || text === 'undefined') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Finds our `{error:{code,message,details}}` in the app's reply as daprd relays it (possibly wrapped). daprd
 * relays an app's 404 (no such method) as a 500 without the app's body; only the status in its message tells.
 */
function actorErrorFrom(error: SidecarError): AppError | undefined {
  const candidates = [error.body];
  try {
    const wrapped = JSON.parse(error.body) as { message?: string };
    if (typeof wrapped.message === 'string') {
      if (/error from actor service: \(404\)\s*$/.test(wrapped.message)) {
        return new AppError('NOT_FOUND', 'The actor has no such method.', null, { cause: error });
      }
      candidates.push(wrapped.message.slice(wrapped.message.indexOf('{')));
    }
  } catch {
    // Not JSON: daprd's plain-text errors carry no app error.
  }
  for (const candidate of candidates) {
    try {
      const parsed = JSON.parse(candidate) as { error?: { code?: string; message?: string; details?: unknown } };
      const code = parsed.error?.code;
      if (code && code in httpStatusByCode) {
        return new AppError(code as AppErrorCode, parsed.error?.message ?? 'Actor call failed.', parsed.error?.details, { cause: error });
      }
    } catch {
      // Try the next candidate.
    }
  }
  return undefined;
}
