import { SessionError, type SessionStatus } from '@app/domain';
import { requireAppToken } from '@app/runtime/dapr';
import { AppError } from '@app/runtime/service';
import express, { type Router } from 'express';
import { z } from 'zod';

/** What the pod's control routes drive: the SessionHost of this pod. */
export interface LocalSessionControl {
  status(instanceId: string): Promise<SessionStatus | null>;
  restart(instanceId: string): Promise<SessionStatus>;
  requestPairingCode(instanceId: string, phoneNumber: string): Promise<SessionStatus>;
  logout(instanceId: string): Promise<SessionStatus>;
}

const instanceIdSchema = z.uuid();
const pairingBodySchema = z.object({
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{8,20}$/),
});

/** SessionError → HTTP, the reason kept so the caller can rebuild the SessionError. */
const statusBySessionError: Record<SessionError['code'], AppError['code']> = {
  SESSION_NOT_FOUND: 'NOT_FOUND',
  SESSION_ALREADY_PAIRED: 'CONFLICT',
  SESSION_NOT_WAITING_FOR_SCAN: 'CONFLICT',
  SESSION_NOT_OPEN: 'CONFLICT',
};

/**
 * The pod's session control, reached at the pod's own DNS name (`baileys-sessions-N.baileys-sessions`), never
 * through Dapr service invocation, which balances across the app id (docs/adr/0007-baileys-session-routing.md).
 * Requires the app token. Only sessions of this pod's slots answer; any other instance is a 404 SESSION_NOT_FOUND.
 */
export function createSessionControlRouter(options: { control: LocalSessionControl; appApiToken?: string | undefined }): Router {
  const { control } = options;
  const router = express.Router();
  const token = requireAppToken(options.appApiToken);
  const json = express.json({ limit: '16kb' });

  const run =
    (action: (instanceId: string, body: unknown) => Promise<SessionStatus | null>): express.RequestHandler =>
    async (request, response) => {
      const instanceId = instanceIdSchema.safeParse(request.params['instanceId']);
      if (!instanceId.success) throw new AppError('VALIDATION_FAILED', 'The instance id must be a UUID.', { field: 'instanceId' });
      try {
        const status = await action(instanceId.data, request.body);
        if (!status) throw new SessionError('SESSION_NOT_FOUND', 'No Baileys session for this instance runs here.');
        response.json(status);
      } catch (error) {
        if (error instanceof SessionError) throw new AppError(statusBySessionError[error.code], error.message, { reason: error.code });
        throw error;
      }
    };

  router.get(
    '/internal/sessions/:instanceId',
    token,
    run((id) => control.status(id)),
  );
  router.post(
    '/internal/sessions/:instanceId/restart',
    token,
    run((id) => control.restart(id)),
  );
  router.post(
    '/internal/sessions/:instanceId/logout',
    token,
    run((id) => control.logout(id)),
  );
  router.post(
    '/internal/sessions/:instanceId/pairing-code',
    token,
    json,
    run((id, body) => {
      const input = pairingBodySchema.safeParse(body);
      if (!input.success)
        throw new AppError('VALIDATION_FAILED', 'phoneNumber must be a phone number in international format.', { field: 'phoneNumber' });
      return control.requestPairingCode(id, input.data.phoneNumber);
    }),
  );
  return router;
}
