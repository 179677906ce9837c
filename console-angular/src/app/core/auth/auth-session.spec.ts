import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthSession } from './auth-session';
import { authInterceptor } from './auth.interceptor';

const account = {
  user: { id: 'u1', email: 'ana@example.test', role: 'OWNER', emailVerified: true, createdAt: '' },
  business: { id: 'b1', name: 'Ana', timezone: 'UTC', botEnabled: true, createdAt: '' },
};

/** Every value the page's own storage holds, as an injected script would read it. */
function storedValues(): string {
  const values: string[] = [];
  for (const storage of [localStorage, sessionStorage]) {
    for (let index = 0; index < storage.length; index++) values.push(`${storage.key(index)}=${storage.getItem(storage.key(index)!)}`);
  }
  return values.join('\n');
}

describe('AuthSession', () => {
  let backend: HttpTestingController;

  beforeEach(() => {
    // A token pair an older console version left behind.
    localStorage.setItem('console.session', JSON.stringify({ accessToken: 'old-access', refreshToken: 'old-refresh' }));
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        provideRouter([{ path: 'login', children: [] }]),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    backend.verify();
    localStorage.clear();
    sessionStorage.clear();
  });

  it('keeps the access token in memory only: nothing in localStorage or sessionStorage after sign-in', async () => {
    const session = TestBed.inject(AuthSession);
    expect(localStorage.getItem('console.session')).toBeNull();
    const signIn = session.signIn('ana@example.test', 'secret');
    const login = backend.expectOne('/api/auth/login');
    expect(login.request.body).toEqual({ email: 'ana@example.test', password: 'secret' });
    login.flush({ accessToken: 'access-secret-1', tokenType: 'Bearer', expiresIn: 900 });
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).flush(account);
    await signIn;

    expect(session.accessToken()).toBe('access-secret-1');
    expect(storedValues()).not.toMatch(/access-secret-1|refresh/);
  });

  it('restores a session after a reload from the refresh cookie, and says so when there is none', async () => {
    const session = TestBed.inject(AuthSession);
    const restored = session.restore();
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.method).toBe('POST');
    expect(refresh.request.body).toEqual({});
    refresh.flush({ accessToken: 'access-2', tokenType: 'Bearer', expiresIn: 900 });
    const me = await vi.waitFor(() => backend.expectOne('/api/auth/me'));
    expect(me.request.headers.get('Authorization')).toBe('Bearer access-2');
    me.flush(account);
    await expect(restored).resolves.toBe(true);
    expect(session.account()?.user.email).toBe('ana@example.test');

    const fresh = TestBed.runInInjectionContext(() => new AuthSession());
    const none = fresh.restore();
    backend
      .expectOne('/api/auth/refresh')
      .flush(
        { error: { code: 'UNAUTHENTICATED', message: 'No refresh token.', details: { reason: 'TOKEN_MISSING' } } },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(none).resolves.toBe(false);
    expect(fresh.signedIn()).toBe(false);
  });

  it('signs out through the API, which clears the cookie, and forgets the access token', async () => {
    const session = TestBed.inject(AuthSession);
    const restored = session.restore();
    backend.expectOne('/api/auth/refresh').flush({ accessToken: 'access-3', tokenType: 'Bearer', expiresIn: 900 });
    (await vi.waitFor(() => backend.expectOne('/api/auth/me'))).flush(account);
    await restored;

    const out = session.signOut();
    const logout = backend.expectOne('/api/auth/logout');
    expect(logout.request.body).toEqual({});
    logout.flush(null, { status: 204, statusText: 'No Content' });
    await out;
    expect(session.signedIn()).toBe(false);
    expect(session.accessToken()).toBeNull();
  });
});
