import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type SignedInTenant, type TenantApiHarness } from './tenant-api-harness.ts';

/** The attributes of the `refresh_token` cookie a response sets, or null when it sets none. */
function refreshCookie(response: { headers: Record<string, unknown> }): { value: string; attributes: string[] } | null {
  const header = (response.headers['set-cookie'] as string[] | undefined)?.find((cookie) => cookie.startsWith('refresh_token='));
  if (!header) return null;
  const [pair, ...attributes] = header.split('; ');
  return { value: decodeURIComponent(pair!.slice('refresh_token='.length)), attributes };
}

describe('tenant API: the browser session lives in an httpOnly refresh cookie', () => {
  let harness: TenantApiHarness;
  let tenant: SignedInTenant;
  const api = () => request(harness.app);
  /** Signs in as the console does: no refreshTokenInBody. */
  const browserLogin = () => api().post('/api/auth/login').send({ email: tenant.email, password: tenant.password }).expect(200);
  const refreshWithCookie = (value: string) =>
    api()
      .post('/api/auth/refresh')
      .set('cookie', `refresh_token=${encodeURIComponent(value)}`)
      .send({});

  beforeAll(async () => {
    harness = await startTenantApiHarness();
    tenant = await signUp(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('signs in with the refresh token only in an httpOnly, SameSite=Strict cookie scoped to /api/auth', async () => {
    const login = await browserLogin();
    expect(Object.keys(login.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
    const cookie = refreshCookie(login)!;
    expect(cookie.value).toMatch(/^[\w-]{40,}$/);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['Path=/api/auth', 'HttpOnly', 'SameSite=Strict', `Max-Age=${30 * 24 * 3600}`]));
    // Served over plain http (PUBLIC_URL http://platform.test): a Secure cookie would never come back.
    expect(cookie.attributes).not.toContain('Secure');
    await api().get('/api/auth/me').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });

  it('refreshes from the cookie, rotating it, and detects a replayed cookie by revoking the whole sign-in', async () => {
    const first = refreshCookie(await browserLogin())!.value;
    const refreshed = await refreshWithCookie(first).expect(200);
    expect(refreshed.body.refreshToken).toBeUndefined();
    await api().get('/api/auth/me').set('authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
    const second = refreshCookie(refreshed)!;
    expect(second.value).not.toBe(first);
    expect(second.attributes).toEqual(expect.arrayContaining(['Path=/api/auth', 'HttpOnly', 'SameSite=Strict']));

    // The stolen first cookie, replayed: the family is revoked and the cookie cleared.
    const replay = await refreshWithCookie(first).expect(401);
    expect(expectError(replay.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_REUSED' });
    expect(refreshCookie(replay)).toMatchObject({ value: '', attributes: expect.arrayContaining(['Expires=Thu, 01 Jan 1970 00:00:00 GMT']) });
    expect(expectError((await refreshWithCookie(second.value).expect(401)).body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_REUSED' });
  });

  it('refuses a cookie refresh that is not JSON (a cross-site form cannot send JSON), leaving the session intact', async () => {
    const cookie = refreshCookie(await browserLogin())!.value;
    const form = await api().post('/api/auth/refresh').set('cookie', `refresh_token=${cookie}`).type('form').send('a=b').expect(403);
    expect(expectError(form.body, 'FORBIDDEN').details).toEqual({ reason: 'JSON_REQUIRED' });
    const text = await api()
      .post('/api/auth/refresh')
      .set('cookie', `refresh_token=${cookie}`)
      .set('content-type', 'text/plain')
      .send('{}')
      .expect(403);
    expectError(text.body, 'FORBIDDEN');
    expect(refreshCookie(form)).toBeNull();
    await refreshWithCookie(cookie).expect(200);
  });

  it('answers 401 TOKEN_MISSING to a refresh without a cookie or a token', async () => {
    const missing = await api().post('/api/auth/refresh').send({}).expect(401);
    expect(expectError(missing.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_MISSING' });
  });

  it('signs out with the cookie: the family is revoked and the cookie cleared', async () => {
    const cookie = refreshCookie(await browserLogin())!.value;
    const logout = await api().post('/api/auth/logout').set('cookie', `refresh_token=${cookie}`).send({}).expect(204);
    expect(refreshCookie(logout)).toMatchObject({
      value: '',
      attributes: expect.arrayContaining(['Path=/api/auth', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT']),
    });
    expectError((await refreshWithCookie(cookie).expect(401)).body, 'UNAUTHENTICATED');
    expectError(
      (await api().post('/api/auth/logout').set('cookie', `refresh_token=${cookie}`).type('form').send('x=1').expect(403)).body,
      'FORBIDDEN',
    );
  });

  it('marks the cookie Secure when the platform is served over https', async () => {
    const secure = await startTenantApiHarness({ PUBLIC_URL: 'https://console.example.test' });
    try {
      // Unverified: the harness reads verification links of http://platform.test only, and sign-in does not need one.
      const owner = await signUp(secure, { verified: false });
      const login = await request(secure.app).post('/api/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
      expect(refreshCookie(login)!.attributes).toContain('Secure');
    } finally {
      await secure.close();
    }
  });
});
