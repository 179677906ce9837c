import { HttpClient, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type {
  Account,
  AgentTestCaseRequest,
  AgentTestCaseView,
  AgentTestRunView,
  AgentView,
  ContactView,
  ConversationPage,
  CreateInstanceRequest,
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
  SandboxMessageRequest,
  SandboxMessageResponse,
  SessionStatusView,
  TokenPair,
  UpdateAgentRequest,
  UpdateContactRequest,
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
}
