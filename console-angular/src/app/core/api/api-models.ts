import type { paths } from './api-types.generated';

/**
 * Names for the request and response bodies of the tenant API, derived from the generated OpenAPI types so a
 * change in the API breaks the console's build instead of its users.
 */
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type SuccessOf<Operation> = Operation extends { responses: infer Responses } ? JsonOf<Responses[Extract<keyof Responses, 200 | 201 | 202>]> : never;
type RequestOf<Operation> = Operation extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;

export type TokenPair = SuccessOf<paths['/auth/login']['post']>;
export type LoginRequest = RequestOf<paths['/auth/login']['post']>;
export type RegisterRequest = RequestOf<paths['/auth/register']['post']>;
export type Account = SuccessOf<paths['/auth/me']['get']>;
export type UserView = Account['user'];
export type BusinessView = Account['business'];

export type InstanceView = SuccessOf<paths['/instances/{id}']['get']>;
export type CreateInstanceRequest = RequestOf<paths['/instances']['post']>;
export type UpdateInstanceRequest = RequestOf<paths['/instances/{id}']['patch']>;

/** The WhatsApp Web (Baileys) session of an instance: state, QR string, pairing code. */
export type SessionStatusView = SuccessOf<paths['/instances/{id}/session']['get']>;
export type SessionState = SessionStatusView['state'];

export type AgentView = SuccessOf<paths['/agent']['get']>;
export type UpdateAgentRequest = RequestOf<paths['/agent']['put']>;

export type ConversationPage = SuccessOf<paths['/conversations']['get']>;
export type ConversationView = ConversationPage['items'][number];
export type MessagePage = SuccessOf<paths['/conversations/{id}/messages']['get']>;
export type MessageView = MessagePage['items'][number];
export type MessageStatus = MessageView['status'];
export type OperatorReplyResponse = SuccessOf<paths['/conversations/{id}/messages']['post']>;

export type ContactView = SuccessOf<paths['/contacts/{id}']['patch']>;
export type UpdateContactRequest = RequestOf<paths['/contacts/{id}']['patch']>;

export type SandboxMessageRequest = RequestOf<paths['/sandbox/{instanceId}/messages']['post']>;
export type SandboxMessageResponse = SuccessOf<paths['/sandbox/{instanceId}/messages']['post']>;

export type LiveTicket = SuccessOf<paths['/live/tickets']['post']>;

export type AgentTestCaseView = SuccessOf<paths['/agent/tests']['post']>;
export type AgentTestCaseRequest = RequestOf<paths['/agent/tests']['post']>;
export type AgentTestExpectation = NonNullable<AgentTestCaseRequest['steps'][number]['expect']>[number];
export type RunAgentTestsRequest = RequestOf<paths['/agent/tests/run']['post']>;
export type AgentTestRunView = SuccessOf<paths['/agent/tests/run']['post']>;

export type ProductList = SuccessOf<paths['/products']['get']>;
export type ProductView = SuccessOf<paths['/products/{productId}']['get']>;
export type CreateProductRequest = RequestOf<paths['/products']['post']>;
export type UpdateProductRequest = RequestOf<paths['/products/{productId}']['patch']>;
export type ProductImportResult = SuccessOf<paths['/products/import']['post']>;

export type OrderList = SuccessOf<paths['/orders']['get']>;
export type OrderView = SuccessOf<paths['/orders/{orderId}']['get']>;
export type OrderStatus = OrderView['status'];
export type OrderActionResult = SuccessOf<paths['/orders/{orderId}/voucher/confirm']['post']>;
export type BusinessObjective = AgentView['objective'];
