import type { Router } from 'express';
import { AppError } from '@app/runtime/service';
import type { ApiServices } from '../api-services.ts';
import { tenantOf } from '../http/tenant-context.ts';
import { parseInput } from '../http/validate.ts';
import type { LiveUpdates } from './create-live-updates.ts';
import { liveStreamQuerySchema } from './live.schema.ts';

/** Registered on the tenant API's own router (the OpenAPI test lists it); without `live` both routes answer 503. */
export function registerLiveRoutes(router: Router, services: ApiServices): void {
  const live = (): LiveUpdates => {
    if (!services.live) throw new AppError('UNAVAILABLE', 'Live updates are not available in this deployment.');
    return services.live;
  };

  router.post('/live/tickets', services.authenticate, async (_request, response) => {
    response.status(201).json(await live().tickets.issue(tenantOf(response)));
  });

  router.get('/live', async (request, response) => {
    const updates = live();
    const query = parseInput(liveStreamQuerySchema, request.query, 'query');
    const tenant = query.ticket ? await updates.tickets.redeem(query.ticket) : null;
    if (!tenant) {
      throw new AppError('UNAUTHENTICATED', 'Open the stream with a ticket from POST /api/live/tickets; each ticket works once, for 60 seconds.', {
        reason: query.ticket ? 'TICKET_INVALID' : 'TICKET_MISSING',
      });
    }
    const lastEventId = request.get('last-event-id') ?? query.lastEventId ?? null;
    await updates.openStream(response, { tenant, lastEventId: lastEventId || null });
  });
}
