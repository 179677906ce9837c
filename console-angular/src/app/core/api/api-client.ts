import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  Account,
  AgentTestCaseRequest,
  AgentTestCaseView,
  AgentTestRunView,
  AgentFileList,
  AgentFileView,
  AgentView,
  ContactFieldList,
  ContactFieldValues,
  ContactFieldView,
  ContactPage,
  AppointmentStatus,
  AppointmentView,
  AvailabilityRequest,
  AvailabilityView,
  BlockedRangeRequest,
  BlockedRangeView,
  CreateAppointmentRequest,
  ServiceRequest,
  ServiceView,
  SlotList,
  UpdateAppointmentRequest,
  ContactView,
  CreateContactFieldRequest,
  ConversationPage,
  CreateHttpToolRequest,
  CreateInstanceRequest,
  HttpToolTestResult,
  HttpToolView,
  InstanceView,
  LiveTicket,
  LoginRequest,
  MessagePage,
  OrderActionResult,
  OrderList,
  OrderStatus,
  OrderView,
  ProductImportResult,
  ProductList,
  ProductView,
  CreateProductRequest,
  UpdateProductRequest,
  OperatorReplyResponse,
  RegisterRequest,
  RunAgentTestsRequest,
  ReplyTraceView,
  SandboxMessageRequest,
  SandboxMessageResponse,
  SessionStatusView,
  TestHttpToolRequest,
  TokenPair,
  UpdateAgentFileRequest,
  UpdateAgentRequest,
  UpdateContactFieldRequest,
  UpdateContactFieldValuesRequest,
  UpdateContactRequest,
  UpdateHttpToolRequest,
  UpdateInstanceRequest,
} from './api-models';

/** The tenant API at /api, one typed method per route the console uses. Errors are HttpErrorResponse (see toApiProblem). */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  register(body: RegisterRequest): Promise<Account> {
    return firstValueFrom(this.http.post<Account>('/api/auth/register', body));
  }
  resendVerification(email: string): Promise<unknown> {
    return firstValueFrom(this.http.post('/api/auth/resend-verification', { email }));
  }
  verifyEmail(token: string): Promise<{ verified: true; email: string }> {
    return firstValueFrom(this.http.get<{ verified: true; email: string }>('/api/auth/verify-email', { params: { token } }));
  }
  forgotPassword(email: string): Promise<unknown> {
    return firstValueFrom(this.http.post('/api/auth/forgot-password', { email }));
  }
  resetPassword(token: string, password: string): Promise<{ reset: true; email: string }> {
    return firstValueFrom(this.http.post<{ reset: true; email: string }>('/api/auth/reset-password', { token, password }));
  }
  login(body: LoginRequest): Promise<TokenPair> {
    return firstValueFrom(this.http.post<TokenPair>('/api/auth/login', body));
  }
  /** Rotates the httpOnly refresh cookie (sent by the browser; the JSON body is the API's CSRF check). */
  refresh(): Promise<TokenPair> {
    return firstValueFrom(this.http.post<TokenPair>('/api/auth/refresh', {}));
  }
  logout(): Promise<unknown> {
    return firstValueFrom(this.http.post('/api/auth/logout', {}));
  }
  me(): Promise<Account> {
    return firstValueFrom(this.http.get<Account>('/api/auth/me'));
  }

  listInstances(): Promise<{ items: InstanceView[] }> {
    return firstValueFrom(this.http.get<{ items: InstanceView[] }>('/api/instances'));
  }
  createInstance(body: CreateInstanceRequest): Promise<InstanceView> {
    return firstValueFrom(this.http.post<InstanceView>('/api/instances', body));
  }

  agent(): Promise<AgentView> {
    return firstValueFrom(this.http.get<AgentView>('/api/agent'));
  }
  updateAgent(body: UpdateAgentRequest): Promise<AgentView> {
    return firstValueFrom(this.http.put<AgentView>('/api/agent', body));
  }

  listAgentTests(): Promise<{ items: AgentTestCaseView[] }> {
    return firstValueFrom(this.http.get<{ items: AgentTestCaseView[] }>('/api/agent/tests'));
  }
  createAgentTest(body: AgentTestCaseRequest): Promise<AgentTestCaseView> {
    return firstValueFrom(this.http.post<AgentTestCaseView>('/api/agent/tests', body));
  }
  updateAgentTest(testId: string, body: AgentTestCaseRequest): Promise<AgentTestCaseView> {
    return firstValueFrom(this.http.put<AgentTestCaseView>(`/api/agent/tests/${testId}`, body));
  }
  deleteAgentTest(testId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/agent/tests/${testId}`));
  }
  runAgentTests(body: RunAgentTestsRequest): Promise<AgentTestRunView> {
    return firstValueFrom(this.http.post<AgentTestRunView>('/api/agent/tests/run', body));
  }
  listHttpTools(): Promise<{ items: HttpToolView[] }> {
    return firstValueFrom(this.http.get<{ items: HttpToolView[] }>('/api/agent/http-tools'));
  }
  createHttpTool(body: CreateHttpToolRequest): Promise<HttpToolView> {
    return firstValueFrom(this.http.post<HttpToolView>('/api/agent/http-tools', body));
  }
  updateHttpTool(toolId: string, body: UpdateHttpToolRequest): Promise<HttpToolView> {
    return firstValueFrom(this.http.patch<HttpToolView>(`/api/agent/http-tools/${toolId}`, body));
  }
  deleteHttpTool(toolId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/agent/http-tools/${toolId}`));
  }
  testHttpTool(toolId: string, body: TestHttpToolRequest): Promise<HttpToolTestResult> {
    return firstValueFrom(this.http.post<HttpToolTestResult>(`/api/agent/http-tools/${toolId}/test`, body));
  }
  listFiles(): Promise<AgentFileList> {
    return firstValueFrom(this.http.get<AgentFileList>('/api/files'));
  }
  /** multipart/form-data with the file in `file`; the browser writes the boundary. */
  uploadFile(form: FormData): Promise<AgentFileView> {
    return firstValueFrom(this.http.post<AgentFileView>('/api/files', form));
  }
  updateFile(fileId: string, body: UpdateAgentFileRequest): Promise<AgentFileView> {
    return firstValueFrom(this.http.patch<AgentFileView>(`/api/files/${fileId}`, body));
  }
  deleteFile(fileId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/files/${fileId}`));
  }

  listConversations(query: { cursor?: string | null; limit?: number; instanceId?: string | null; q?: string | null }): Promise<ConversationPage> {
    let params = new HttpParams().set('limit', String(query.limit ?? 100));
    if (query.cursor) params = params.set('cursor', query.cursor);
    if (query.instanceId) params = params.set('instanceId', query.instanceId);
    if (query.q) params = params.set('q', query.q);
    return firstValueFrom(this.http.get<ConversationPage>('/api/conversations', { params }));
  }
  listMessages(conversationId: string, query: { cursor?: string | null; limit?: number } = {}): Promise<MessagePage> {
    let params = new HttpParams().set('limit', String(query.limit ?? 50));
    if (query.cursor) params = params.set('cursor', query.cursor);
    return firstValueFrom(this.http.get<MessagePage>(`/api/conversations/${conversationId}/messages`, { params }));
  }
  replyTrace(conversationId: string, messageId: string): Promise<ReplyTraceView> {
    return firstValueFrom(this.http.get<ReplyTraceView>(`/api/conversations/${conversationId}/messages/${messageId}/trace`));
  }
  sendReply(conversationId: string, text: string, idempotencyKey: string): Promise<OperatorReplyResponse> {
    const headers = new HttpHeaders({ 'Idempotency-Key': idempotencyKey });
    return firstValueFrom(this.http.post<OperatorReplyResponse>(`/api/conversations/${conversationId}/messages`, { text }, { headers }));
  }
  /** The stored bytes of a message's media (GET /messages/:id/media); the auth interceptor adds the Bearer token. */
  messageMedia(messageId: string): Promise<Blob> {
    return firstValueFrom(this.http.get(`/api/messages/${messageId}/media`, { responseType: 'blob' }));
  }
  markRead(conversationId: string): Promise<unknown> {
    return firstValueFrom(this.http.post(`/api/conversations/${conversationId}/read`, {}));
  }
  instanceSession(instanceId: string): Promise<SessionStatusView> {
    return firstValueFrom(this.http.get<SessionStatusView>(`/api/instances/${instanceId}/session`));
  }

  requestPairingCode(instanceId: string, phoneNumber: string): Promise<SessionStatusView> {
    return firstValueFrom(this.http.post<SessionStatusView>(`/api/instances/${instanceId}/session/pairing-code`, { phoneNumber }));
  }

  logoutSession(instanceId: string): Promise<SessionStatusView> {
    return firstValueFrom(this.http.post<SessionStatusView>(`/api/instances/${instanceId}/session/logout`, {}));
  }

  restartSession(instanceId: string): Promise<SessionStatusView> {
    return firstValueFrom(this.http.post<SessionStatusView>(`/api/instances/${instanceId}/session/restart`, {}));
  }

  updateInstance(instanceId: string, body: UpdateInstanceRequest): Promise<InstanceView> {
    return firstValueFrom(this.http.patch<InstanceView>(`/api/instances/${instanceId}`, body));
  }

  updateContact(contactId: string, body: UpdateContactRequest): Promise<ContactView> {
    return firstValueFrom(this.http.patch<ContactView>(`/api/contacts/${contactId}`, body));
  }

  listContactFields(): Promise<ContactFieldList> {
    return firstValueFrom(this.http.get<ContactFieldList>('/api/contact-fields'));
  }
  createContactField(body: CreateContactFieldRequest): Promise<ContactFieldView> {
    return firstValueFrom(this.http.post<ContactFieldView>('/api/contact-fields', body));
  }
  updateContactField(fieldId: string, body: UpdateContactFieldRequest): Promise<ContactFieldView> {
    return firstValueFrom(this.http.patch<ContactFieldView>(`/api/contact-fields/${fieldId}`, body));
  }
  deleteContactField(fieldId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/contact-fields/${fieldId}`));
  }
  contactFieldValues(contactId: string): Promise<ContactFieldValues> {
    return firstValueFrom(this.http.get<ContactFieldValues>(`/api/contacts/${contactId}/fields`));
  }
  updateContactFieldValues(contactId: string, body: UpdateContactFieldValuesRequest): Promise<ContactFieldValues> {
    return firstValueFrom(this.http.put<ContactFieldValues>(`/api/contacts/${contactId}/fields`, body));
  }
  /** `filters` are field key → value, sent as `field.<key>=<value>`. */
  listContacts(query: { cursor?: string | null; limit?: number; q?: string | null; filters?: Record<string, string> }): Promise<ContactPage> {
    return firstValueFrom(this.http.get<ContactPage>('/api/contacts', { params: contactParams(query).set('limit', String(query.limit ?? 50)) }));
  }
  /** The CSV export as bytes (the Bearer token rides on the request, so it cannot be a plain link). */
  exportContacts(query: { q?: string | null; filters?: Record<string, string> }): Promise<Blob> {
    return firstValueFrom(this.http.get('/api/contacts/export.csv', { params: contactParams(query), responseType: 'blob' }));
  }

  sendSandboxMessage(instanceId: string, body: SandboxMessageRequest): Promise<SandboxMessageResponse> {
    return firstValueFrom(this.http.post<SandboxMessageResponse>(`/api/sandbox/${instanceId}/messages`, body));
  }

  createLiveTicket(): Promise<LiveTicket> {
    return firstValueFrom(this.http.post<LiveTicket>('/api/live/tickets', {}));
  }

  listProducts(query: { q?: string; limit?: number; offset?: number } = {}): Promise<ProductList> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params = params.set(key, String(value));
    return firstValueFrom(this.http.get<ProductList>('/api/products', { params }));
  }
  createProduct(body: CreateProductRequest): Promise<ProductView> {
    return firstValueFrom(this.http.post<ProductView>('/api/products', body));
  }
  updateProduct(productId: string, body: UpdateProductRequest): Promise<ProductView> {
    return firstValueFrom(this.http.patch<ProductView>(`/api/products/${productId}`, body));
  }
  deleteProduct(productId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/products/${productId}`));
  }
  /** All or nothing: a 400 lists every bad line in its details. */
  importProducts(csv: string): Promise<ProductImportResult> {
    return firstValueFrom(
      this.http.post<ProductImportResult>('/api/products/import', csv, { headers: new HttpHeaders({ 'content-type': 'text/csv' }) }),
    );
  }
  exportProducts(): Promise<Blob> {
    return firstValueFrom(this.http.get('/api/products/export', { responseType: 'blob' }));
  }

  listOrders(query: { status?: string; from?: string; to?: string; contactId?: string; limit?: number } = {}): Promise<OrderList> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params = params.set(key, String(value));
    return firstValueFrom(this.http.get<OrderList>('/api/orders', { params }));
  }
  changeOrderStatus(orderId: string, status: OrderStatus): Promise<OrderView> {
    return firstValueFrom(this.http.post<OrderView>(`/api/orders/${orderId}/status`, { status }));
  }
  setDeliveryAgent(orderId: string, deliveryAgent: string | null): Promise<OrderView> {
    return firstValueFrom(this.http.put<OrderView>(`/api/orders/${orderId}/delivery-agent`, { deliveryAgent }));
  }
  confirmVoucher(orderId: string): Promise<OrderActionResult> {
    return firstValueFrom(this.http.post<OrderActionResult>(`/api/orders/${orderId}/voucher/confirm`, {}));
  }
  rejectVoucher(orderId: string): Promise<OrderActionResult> {
    return firstValueFrom(this.http.post<OrderActionResult>(`/api/orders/${orderId}/voucher/reject`, {}));
  }

  listServices(): Promise<{ items: ServiceView[] }> {
    return firstValueFrom(this.http.get<{ items: ServiceView[] }>('/api/booking/services'));
  }
  createService(body: ServiceRequest): Promise<ServiceView> {
    return firstValueFrom(this.http.post<ServiceView>('/api/booking/services', body));
  }
  updateService(serviceId: string, body: ServiceRequest): Promise<ServiceView> {
    return firstValueFrom(this.http.put<ServiceView>(`/api/booking/services/${serviceId}`, body));
  }
  availability(): Promise<AvailabilityView> {
    return firstValueFrom(this.http.get<AvailabilityView>('/api/booking/availability'));
  }
  updateAvailability(body: AvailabilityRequest): Promise<AvailabilityView> {
    return firstValueFrom(this.http.put<AvailabilityView>('/api/booking/availability', body));
  }
  listBlockedRanges(): Promise<{ items: BlockedRangeView[] }> {
    return firstValueFrom(this.http.get<{ items: BlockedRangeView[] }>('/api/booking/blocked-ranges'));
  }
  addBlockedRange(body: BlockedRangeRequest): Promise<BlockedRangeView> {
    return firstValueFrom(this.http.post<BlockedRangeView>('/api/booking/blocked-ranges', body));
  }
  removeBlockedRange(blockedId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`/api/booking/blocked-ranges/${blockedId}`));
  }
  freeSlots(serviceId: string, from: string, to?: string): Promise<SlotList> {
    let params = new HttpParams().set('serviceId', serviceId).set('from', from);
    if (to) params = params.set('to', to);
    return firstValueFrom(this.http.get<SlotList>('/api/booking/slots', { params }));
  }
  listAppointments(from: string, to: string): Promise<{ items: AppointmentView[] }> {
    return firstValueFrom(this.http.get<{ items: AppointmentView[] }>('/api/appointments', { params: { from, to } }));
  }
  createAppointment(body: CreateAppointmentRequest): Promise<AppointmentView> {
    return firstValueFrom(this.http.post<AppointmentView>('/api/appointments', body));
  }
  updateAppointment(appointmentId: string, body: UpdateAppointmentRequest): Promise<AppointmentView> {
    return firstValueFrom(this.http.patch<AppointmentView>(`/api/appointments/${appointmentId}`, body));
  }
  setAppointmentStatus(appointmentId: string, status: AppointmentStatus): Promise<AppointmentView> {
    return firstValueFrom(this.http.post<AppointmentView>(`/api/appointments/${appointmentId}/status`, { status }));
  }
}

function contactParams(query: { cursor?: string | null; q?: string | null; filters?: Record<string, string> }): HttpParams {
  let params = new HttpParams();
  if (query.cursor) params = params.set('cursor', query.cursor);
  if (query.q) params = params.set('q', query.q);
  for (const [key, value] of Object.entries(query.filters ?? {})) params = params.set(`field.${key}`, value);
  return params;
}
