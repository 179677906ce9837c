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

export type HttpToolView = SuccessOf<paths['/agent/http-tools/{id}']['get']>;
export type CreateHttpToolRequest = RequestOf<paths['/agent/http-tools']['post']>;
export type UpdateHttpToolRequest = RequestOf<paths['/agent/http-tools/{id}']['patch']>;
export type TestHttpToolRequest = RequestOf<paths['/agent/http-tools/{id}/test']['post']>;
export type HttpToolTestResult = SuccessOf<paths['/agent/http-tools/{id}/test']['post']>;

export type ConversationPage = SuccessOf<paths['/conversations']['get']>;
export type ConversationView = ConversationPage['items'][number];
export type MessagePage = SuccessOf<paths['/conversations/{id}/messages']['get']>;
export type MessageView = MessagePage['items'][number];
export type MessageStatus = MessageView['status'];
export type OperatorReplyResponse = SuccessOf<paths['/conversations/{id}/messages']['post']>;
/** Why an AI reply said what it said: model, prompt as sent, tool calls, tokens, cost, latency. */
export type ReplyTraceView = SuccessOf<paths['/conversations/{id}/messages/{messageId}/trace']['get']>;

export type ContactView = SuccessOf<paths['/contacts/{id}']['patch']>;
export type UpdateContactRequest = RequestOf<paths['/contacts/{id}']['patch']>;

export type SandboxMessageRequest = RequestOf<paths['/sandbox/{instanceId}/messages']['post']>;
export type SandboxMessageResponse = SuccessOf<paths['/sandbox/{instanceId}/messages']['post']>;

export type AgentFileList = SuccessOf<paths['/files']['get']>;
export type AgentFileView = AgentFileList['files'][number];
export type UpdateAgentFileRequest = RequestOf<paths['/files/{id}']['patch']>;

export type LiveTicket = SuccessOf<paths['/live/tickets']['post']>;

export type AgentTestCaseView = SuccessOf<paths['/agent/tests']['post']>;
export type AgentTestCaseRequest = RequestOf<paths['/agent/tests']['post']>;
export type AgentTestExpectation = NonNullable<AgentTestCaseRequest['steps'][number]['expect']>[number];
export type RunAgentTestsRequest = RequestOf<paths['/agent/tests/run']['post']>;
export type AgentTestRunView = SuccessOf<paths['/agent/tests/run']['post']>;
export type ContactFieldList = SuccessOf<paths['/contact-fields']['get']>;
export type ContactFieldView = ContactFieldList['items'][number];
export type ContactFieldType = ContactFieldView['type'];
export type CreateContactFieldRequest = RequestOf<paths['/contact-fields']['post']>;
export type UpdateContactFieldRequest = RequestOf<paths['/contact-fields/{id}']['patch']>;
export type ContactFieldValues = SuccessOf<paths['/contacts/{id}/fields']['get']>;
export type ContactFieldValueView = ContactFieldValues['items'][number];
export type UpdateContactFieldValuesRequest = RequestOf<paths['/contacts/{id}/fields']['put']>;
export type ContactPage = SuccessOf<paths['/contacts']['get']>;
export type ContactListItem = ContactPage['items'][number];

export type ServiceView = SuccessOf<paths['/booking/services']['post']>;
export type ServiceRequest = RequestOf<paths['/booking/services']['post']>;
export type AvailabilityView = SuccessOf<paths['/booking/availability']['get']>;
export type AvailabilityRequest = RequestOf<paths['/booking/availability']['put']>;
export type BlockedRangeView = SuccessOf<paths['/booking/blocked-ranges']['post']>;
export type BlockedRangeRequest = RequestOf<paths['/booking/blocked-ranges']['post']>;
export type SlotList = SuccessOf<paths['/booking/slots']['get']>;
export type AppointmentView = SuccessOf<paths['/appointments']['post']>;
export type AppointmentStatus = AppointmentView['status'];
export type CreateAppointmentRequest = RequestOf<paths['/appointments']['post']>;
export type UpdateAppointmentRequest = RequestOf<paths['/appointments/{appointmentId}']['patch']>;

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
