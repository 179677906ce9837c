import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, signUp, startTenantApiHarness, type TenantApiHarness } from './tenant-api-harness.ts';

/** The reset link in the newest mail to this address (the console's page, PUBLIC_URL/reset-password). */
async function resetTokenFor(harness: TenantApiHarness, email: string, count = 1): Promise<string> {
  const resets = () => harness.smtp.messages.filter((mail) => mail.envelopeTo.includes(email) && /reset-password\?token=/.test(mail.text ?? ''));
  await harness.smtp.waitForMail(() => resets().length >= count);
  const link = /http:\/\/platform\.test\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(resets()[count - 1]!.text ?? '');
  expect(link, 'reset link in the mail text').not.toBeNull();
  return link![1]!;
}

describe('tenant API: password reset by e-mail', () => {
  let harness: TenantApiHarness;
  beforeAll(async () => {
    harness = await startTenantApiHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('mails a single-use link; the new password works, the old one and every session end', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness);
    await api.post('/api/auth/forgot-password').send({ email: tenant.email.toUpperCase() }).expect(202, { accepted: true });
    const token = await resetTokenFor(harness, tenant.email);

    const weak = await api.post('/api/auth/reset-password').send({ token, password: 'short' }).expect(400);
    expectError(weak.body, 'VALIDATION_FAILED');
    await api.post('/api/auth/reset-password').send({ token, password: 'a brand new passphrase' }).expect(200, { reset: true, email: tenant.email });

    await api.post('/api/auth/login').send({ email: tenant.email, password: tenant.password }).expect(401);
    await api.post('/api/auth/login').send({ email: tenant.email, password: 'a brand new passphrase' }).expect(200);
    // The session signed in with the old password is over.
    await api.post('/api/auth/refresh').send({ refreshToken: tenant.refreshToken }).expect(401);
    const again = await api.post('/api/auth/reset-password').send({ token, password: 'yet another passphrase' }).expect(400);
    expect(expectError(again.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_USED' });
  });

  it('answers an unknown address exactly like a known one and mails nothing; only the newest link works, for an hour', async () => {
    const api = request(harness.app);
    const before = harness.smtp.messages.length;
    await api.post('/api/auth/forgot-password').send({ email: 'nobody@example.test' }).expect(202, { accepted: true });
    expect(harness.smtp.messages.length).toBe(before);

    const tenant = await signUp(harness, { verified: false });
    await api.post('/api/auth/forgot-password').send({ email: tenant.email }).expect(202);
    const first = await resetTokenFor(harness, tenant.email, 1);
    await api.post('/api/auth/forgot-password').send({ email: tenant.email }).expect(202);
    const second = await resetTokenFor(harness, tenant.email, 2);
    const old = await api.post('/api/auth/reset-password').send({ token: first, password: 'a brand new passphrase' }).expect(400);
    expect(expectError(old.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_EXPIRED' });

    harness.clock.advance(61 * 60_000);
    try {
      const late = await api.post('/api/auth/reset-password').send({ token: second, password: 'a brand new passphrase' }).expect(400);
      expect(expectError(late.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_EXPIRED' });
    } finally {
      harness.clock.advance(-61 * 60_000);
    }
    const unknown = await api
      .post('/api/auth/reset-password')
      .send({ token: 'x'.repeat(43), password: 'a brand new passphrase' })
      .expect(400);
    expect(expectError(unknown.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_INVALID' });
  });

  it('counts the address as verified once the reset link is used (it proves the mailbox)', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness, { verified: false });
    await api.post('/api/auth/forgot-password').send({ email: tenant.email }).expect(202);
    await api
      .post('/api/auth/reset-password')
      .send({ token: await resetTokenFor(harness, tenant.email), password: 'a brand new passphrase' })
      .expect(200);
    expect((await harness.database.prisma.user.findUniqueOrThrow({ where: { id: tenant.userId } })).emailVerifiedAt).not.toBeNull();
  });
});
