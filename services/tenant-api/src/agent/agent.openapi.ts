import type { RouteDoc } from '../openapi/route-doc.ts';
import { agentViewSchema, queueStatsSchema, updateAgentBodySchema } from './agent.schema.ts';

const tag = 'agent';

export const agentRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/agent',
    tag,
    authenticated: true,
    summary: 'Agent settings, whether AI replies are available, and the prompt with its variables resolved',
    success: { status: 200, description: 'The settings.', schema: agentViewSchema },
    errors: [401],
  },
  {
    method: 'put',
    path: '/agent',
    tag,
    authenticated: true,
    summary: 'Change agent settings (fields left out keep their value)',
    body: updateAgentBodySchema,
    success: { status: 200, description: 'The settings after the change.', schema: agentViewSchema },
    errors: [400, 401, { status: 403, description: 'Changing the objective is for the business owner (FORBIDDEN).' }],
  },
  {
    method: 'get',
    path: '/agent/queue-stats',
    tag,
    authenticated: true,
    summary: 'AI queue statistics: in-flight, waiting, failed and quarantined buffers',
    success: { status: 200, description: 'Statistics.', schema: queueStatsSchema },
    errors: [401, 503],
  },
];
