import type { Router } from 'express';
import { z } from 'zod';
import { agentRouteDocs } from '../agent/agent.openapi.ts';
import { agentTestRouteDocs } from '../agent-tests/agent-tests.openapi.ts';
import { appointmentRouteDocs } from '../appointments/appointments.openapi.ts';
import { authRouteDocs } from '../auth/auth.openapi.ts';
import { contactFieldRouteDocs } from '../contact-fields/contact-fields.openapi.ts';
import { contactRouteDocs } from '../contacts/contacts.openapi.ts';
import { conversationRouteDocs } from '../conversations/conversations.openapi.ts';
import { httpToolRouteDocs } from '../http-tools/http-tools.openapi.ts';
import { fileRouteDocs } from '../files/files.openapi.ts';
import { instanceRouteDocs } from '../instances/instances.openapi.ts';
import { liveRouteDocs } from '../live/live.openapi.ts';
import { messageRouteDocs } from '../messages/message-media.openapi.ts';
import { orderRouteDocs } from '../orders/orders.openapi.ts';
import { productRouteDocs } from '../products/products.openapi.ts';
import { sandboxRouteDocs } from '../sandbox/sandbox.openapi.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import type { RouteDoc } from './route-doc.ts';

const openApiRouteDoc: RouteDoc = {
  method: 'get',
  path: '/openapi.json',
  tag: 'meta',
  authenticated: false,
  summary: 'This OpenAPI 3.1 document',
  success: { status: 200, description: 'The document.', schema: z.record(z.string(), z.unknown()) },
  errors: [],
};

/** Every documented route of the tenant API, in the order the document lists them. */
export const tenantApiRouteDocs: RouteDoc[] = [
  ...authRouteDocs,
  ...instanceRouteDocs,
  ...agentRouteDocs,
  ...agentTestRouteDocs,
  ...httpToolRouteDocs,
  ...appointmentRouteDocs,
  ...conversationRouteDocs,
  ...messageRouteDocs,
  ...contactRouteDocs,
  ...contactFieldRouteDocs,
  ...fileRouteDocs,
  ...productRouteDocs,
  ...orderRouteDocs,
  ...sandboxRouteDocs,
  ...liveRouteDocs,
  openApiRouteDoc,
];

export function registerOpenApiRoute(router: Router, options: { serverUrl?: string } = {}): void {
  // Built on first request and kept: converting the schemas is not free, and they never change at run time.
  let document: unknown;
  router.get('/openapi.json', (_request, response) => {
    document ??= buildOpenApiDocument(tenantApiRouteDocs, { title: 'Tenant API', version: '0.1.0', serverUrl: options.serverUrl ?? '/api' });
    response.json(document);
  });
}
