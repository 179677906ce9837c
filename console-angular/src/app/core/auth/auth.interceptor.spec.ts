import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthSession } from './auth-session';
import { authInterceptor } from './auth.interceptor';

/** What the API answers a browser: the access token only (the refresh token is its httpOnly cookie). */
const tokens = (suffix: string) => ({ accessToken: `access-${suffix}`, tokenType: 'Bearer', expiresIn: 900 });
const expired = { error: { code: 'UNAUTHENTICATED', message: 'The access token has expired.', details: { reason: 'TOKEN_EXPIRED' } } };

describe('the auth interceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'login', children: [] }]),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    // Signed in: the access token in memory.
    const signIn = TestBed.inject(AuthSession).signIn('ana@example.test', 'secret');
    backend.expectOne('/api/auth/login').flush(tokens('1'));
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).flush({ user: {}, business: {} });
    await signIn;
  });

  afterEach(() => {
    backend.verify();
  });

  it('sends the access token to the API, and none to the sign-in routes', async () => {
    const conversations = firstValueFrom(http.get('/api/conversations'));
    const listRequest = backend.expectOne('/api/conversations');
    expect(listRequest.request.headers.get('Authorization')).toBe('Bearer access-1');
    listRequest.flush({ items: [] });
    await conversations;

    const login = firstValueFrom(http.post('/api/auth/login', {}));
    const request = backend.expectOne('/api/auth/login');
    expect(request.request.headers.has('Authorization')).toBe(false);
    request.flush(tokens('x'));
    await login;
  });

  it('rotates the refresh token once for concurrent 401s and retries each request with the new token', async () => {
    const first = firstValueFrom(http.get('/api/agent'));
    const second = firstValueFrom(http.get('/api/instances'));
    backend.expectOne('/api/agent').flush(expired, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/instances').flush(expired, { status: 401, statusText: 'Unauthorized' });

    // The refresh token is the browser's httpOnly cookie: the console sends an empty JSON body.
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({});
    refresh.flush(tokens('2'));

    const retriedAgent = await vi.waitFor(() => backend.expectOne('/api/agent'));
    const retriedInstances = await vi.waitFor(() => backend.expectOne('/api/instances'));
    backend.expectNone('/api/auth/refresh');
    expect(retriedAgent.request.headers.get('Authorization')).toBe('Bearer access-2');
    retriedAgent.flush({ ok: 'agent' });
    retriedInstances.flush({ ok: 'instances' });
    await expect(first).resolves.toEqual({ ok: 'agent' });
    await expect(second).resolves.toEqual({ ok: 'instances' });
    expect(TestBed.inject(AuthSession).accessToken()).toBe('access-2');
  });

  it('ends the session and goes to the login page when the refresh token is refused', async () => {
    const router = TestBed.inject(Router);
    const call = firstValueFrom(http.get('/api/agent'));
    backend.expectOne('/api/agent').flush(expired, { status: 401, statusText: 'Unauthorized' });
    backend
      .expectOne('/api/auth/refresh')
      .flush(
        { error: { code: 'UNAUTHENTICATED', message: 'reused', details: { reason: 'TOKEN_REUSED' } } },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(TestBed.inject(AuthSession).signedIn()).toBe(false);
    await expect.poll(() => router.url).toBe('/login?expired=1');
  });
});
