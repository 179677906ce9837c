import type { Response, Router } from 'express';
import { AppError } from '@app/runtime/service';
import { z } from 'zod';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { notFound, parseInput, resourceId } from '../http/validate.ts';
import type { SessionControl, SessionStatusView } from './session-control.ts';
import { keepSessionWithinCapacity } from './session-slots.ts';

export const pairingCodeBodySchema = z.object({
  /** International format; only the digits are used (E.164 without "+"). */
  phoneNumber: z
    .string()
    .trim()
    .regex(/^\+?[\d\s().-]{8,20}$/, 'must be a phone number in international format'),
});

/** Session errors (SessionError codes of baileys-sessions) → HTTP. */
const sessionErrorCodes: Record<string, AppError['code']> = {
  SESSION_NOT_FOUND: 'UNAVAILABLE',
  SESSION_ALREADY_PAIRED: 'CONFLICT',
  SESSION_NOT_WAITING_FOR_SCAN: 'CONFLICT',
  SESSION_NOT_OPEN: 'CONFLICT',
};

/**
 * WhatsApp Web (Baileys) session of an instance: GET …/session (status, QR string, pairing code), POST
 * …/session/pairing-code {phoneNumber}, …/session/logout, …/session/restart, …/session/restart-pod (Kubernetes). Tenant-scoped: another tenant's
 * instance is a 404; a non-BAILEYS instance is a 409.
 */
export function registerInstanceSessionRoutes(router: Router, services: ApiServices): void {
  const { prisma, authenticate } = services;

  async function baileysInstance(response: Response, rawId: string | string[] | undefined): Promise<{ id: string; control: SessionControl }> {
    const id = resourceId(rawId, 'Instance');
    const instance = await prisma.instance.findFirst({
      where: { id, businessId: tenantOf(response).businessId },
      select: { id: true, provider: true },
    });
    if (!instance) throw notFound('Instance');
    if (instance.provider !== 'BAILEYS')
      throw new AppError('CONFLICT', 'Only BAILEYS instances have a WhatsApp Web session.', { provider: instance.provider });
    if (!services.sessions) throw new AppError('UNAVAILABLE', 'WhatsApp Web sessions are not running in this deployment.');
    return { id, control: services.sessions };
  }

  async function run(action: () => Promise<SessionStatusView | null>): Promise<SessionStatusView> {
    try {
      const status = await action();
      if (!status) throw new AppError('UNAVAILABLE', 'The session of this instance runs on another host; try again shortly.');
      return status;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!(error instanceof AppError) && typeof code === 'string' && sessionErrorCodes[code]) {
        throw new AppError(sessionErrorCodes[code], (error as Error).message, { reason: code });
      }
      throw error;
    }
  }

  router.get('/instances/:id/session', authenticate, async (request, response) => {
    const { id, control } = await baileysInstance(response, request.params['id']);
    response.json(await run(() => control.status(id)));
  });

  router.post('/instances/:id/session/pairing-code', authenticate, async (request, response) => {
    const { id, control } = await baileysInstance(response, request.params['id']);
    const input = parseInput(pairingCodeBodySchema, request.body);
    response.json(await run(() => control.requestPairingCode(id, input.phoneNumber)));
  });

  router.post('/instances/:id/session/logout', authenticate, async (request, response) => {
    const { id, control } = await baileysInstance(response, request.params['id']);
    response.json(await run(() => control.logout(id)));
  });

  // 202 while the session's pod is not up yet: the start is recorded and happens there when it is. 409 when the
  // instance has no pod under the platform's cap and no slot below it is free.
  router.post('/instances/:id/session/restart', authenticate, async (request, response) => {
    const { id, control } = await baileysInstance(response, request.params['id']);
    await keepSessionWithinCapacity(prisma, id, services.config.BAILEYS_MAX_SESSIONS);
    const status = await run(() => control.restart(id));
    response.status(status.state === 'pending' ? 202 : 200).json(status);
  });

  // Heavier than …/restart: the pod (and every session it runs) starts afresh. The business owner's call only.
  router.post('/instances/:id/session/restart-pod', authenticate, async (request, response) => {
    const { id, control } = await baileysInstance(response, request.params['id']);
    if (tenantOf(response).role === 'AGENT') throw new AppError('FORBIDDEN', 'Only the business owner can restart a session pod.');
    if (!control.restartPod) {
      throw new AppError('CONFLICT', 'This deployment runs WhatsApp Web sessions in-process; there is no pod to restart. Use …/session/restart.', {
        reason: 'NOT_SUPPORTED',
      });
    }
    const restartPod = control.restartPod.bind(control);
    try {
      response.status(202).json(await restartPod(id));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!(error instanceof AppError) && typeof code === 'string' && sessionErrorCodes[code]) {
        throw new AppError(sessionErrorCodes[code], (error as Error).message, { reason: code });
      }
      throw error;
    }
  });
}
