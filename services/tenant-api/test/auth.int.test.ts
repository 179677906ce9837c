import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactedPaths } from '@app/runtime/service';
import { hashOpaqueToken } from '../src/auth/opaque-token.ts';
import { createTenantApi } from '../src/index.ts';
import { registerResponseSchema, tokenPairSchema } from '../src/auth/auth.schema.ts';
import { expectError, signUp, startTenantApiHarness, verificationTokenFor, type TenantApiHarness } from './tenant-api-harness.ts';

describe('tenant API: authentication', () => {
  let harness: TenantApiHarness;

  beforeAll(async () => {
    harness = await startTenantApiHarness({ LOGIN_MAX_FAILURES_PER_EMAIL: '3', SIGNUPS_PER_IP_PER_HOUR: '25', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('registers, e-mails a single-use link, verifies, signs in, rotates and detects reuse of a refresh token', async () => {
    const api = request(harness.app);
    const email = 'Founder@Example.test';
    const registered = await api.post('/api/auth/register').send({ email, password: 'long enough pw', businessName: 'Tacos Ana' }).expect(201);
    expect(registerResponseSchema.parse(registered.body)).toMatchObject({
      user: { email: 'founder@example.test', role: 'OWNER', emailVerified: false },
      business: { name: 'Tacos Ana', timezone: 'UTC', botEnabled: true },
    });
    expect(JSON.stringify(registered.body)).not.toMatch(/passwordHash|argon2/);

    // Stored: an argon2id hash, the default agent settings, and a hashed verification token.
    const user = await harness.database.prisma.user.findUniqueOrThrow({ where: { email: 'founder@example.test' } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=256,t=2,p=1\$/);
    await expect(harness.database.prisma.agentConfig.count({ where: { businessId: user.businessId } })).resolves.toBe(1);

    const mail = await harness.smtp.waitForMail((candidate) => candidate.envelopeTo.includes('founder@example.test'));
    expect(mail.envelopeFrom).toBe('no-reply@platform.test');
    expect(mail.subject).toBe('Confirm your e-mail address');
    const token = await verificationTokenFor(harness, 'founder@example.test');
    const storedTokens = await harness.database.prisma.emailVerificationToken.findMany({ where: { userId: user.id } });
    expect(storedTokens).toHaveLength(1);
    expect(storedTokens[0]!.tokenHash).toBe(hashOpaqueToken(token));

    await expect(
      api
        .get('/api/auth/verify-email')
        .query({ token })
        .expect(200)
        .then((response) => response.body),
    ).resolves.toEqual({
      verified: true,
      email: 'founder@example.test',
    });
    const again = await api.get('/api/auth/verify-email').query({ token }).expect(400);
    expect(expectError(again.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_USED' });

    // An API client asks for the refresh token in the body (a browser gets it as an httpOnly cookie).
    const login = await api
      .post('/api/auth/login')
      .send({ email: 'FOUNDER@example.test', password: 'long enough pw', refreshTokenInBody: true })
      .expect(200);
    expect(login.headers['set-cookie']).toBeUndefined();
    const first = tokenPairSchema.parse(login.body);
    expect(first.expiresIn).toBe(15 * 60);
    const me = await api.get('/api/auth/me').set('authorization', `Bearer ${first.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ user: { id: user.id, emailVerified: true }, business: { id: user.businessId } });

    const rotated = tokenPairSchema.parse((await api.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body);
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    await api.get('/api/auth/me').set('authorization', `Bearer ${rotated.accessToken}`).expect(200);

    // The first refresh token was rotated: presenting it again means it leaked. The whole family goes.
    const reuse = await api.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(expectError(reuse.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_REUSED' });
    const successor = await api.post('/api/auth/refresh').send({ refreshToken: rotated.refreshToken }).expect(401);
    expect(expectError(successor.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_REUSED' });
    const family = await harness.database.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(family).toHaveLength(2);
    expect(family.every((row) => row.revokedAt !== null)).toBe(true);
  });

  it('refuses a second account with the same address, in any letter case', async () => {
    const tenant = await signUp(harness);
    const response = await request(harness.app)
      .post('/api/auth/register')
      .send({ email: tenant.email.toUpperCase(), password: 'another password', businessName: 'Copycat' })
      .expect(409);
    expectError(response.body, 'CONFLICT');
    await expect(harness.database.prisma.business.count({ where: { name: 'Copycat' } })).resolves.toBe(0);
  });

  it('answers bad input with 400 and every problem listed', async () => {
    const response = await request(harness.app).post('/api/auth/register').send({ email: 'not-an-email', password: 'short' }).expect(400);
    const error = expectError(response.body, 'VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'body.email', message: expect.any(String) },
        { path: 'body.password', message: expect.any(String) },
        { path: 'body.businessName', message: expect.any(String) },
      ]),
    );
    const malformed = await request(harness.app).post('/api/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
    expectError(malformed.body, 'VALIDATION_FAILED');
  });

  it('tells expired, unknown and used links apart, and shows a page to a browser', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness, { verified: false });
    const token = await verificationTokenFor(harness, tenant.email);

    const unknown = await api
      .get('/api/auth/verify-email')
      .query({ token: 'x'.repeat(43) })
      .expect(400);
    expect(expectError(unknown.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_INVALID' });

    harness.clock.advance(24 * 60 * 60 * 1000 + 1000);
    try {
      const expired = await api.get('/api/auth/verify-email').query({ token }).expect(400);
      expect(expectError(expired.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_EXPIRED' });
      const page = await api.get('/api/auth/verify-email').query({ token }).set('accept', 'text/html').expect(400);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('Verification failed');
      expect(page.text).toContain('expired');

      // A new link (the old one stays expired) verifies, and a browser gets a page saying so.
      await api.post('/api/auth/resend-verification').send({ email: tenant.email }).expect(202, { accepted: true });
      const fresh = await verificationTokenFor(harness, tenant.email, 1);
      const verified = await api.get('/api/auth/verify-email').query({ token: fresh }).set('accept', 'text/html,application/xhtml+xml').expect(200);
      expect(verified.text).toContain('E-mail address verified');
    } finally {
      harness.clock.advance(-(24 * 60 * 60 * 1000 + 1000));
    }
    const user = await harness.database.prisma.user.findUniqueOrThrow({ where: { id: tenant.userId } });
    expect(user.emailVerifiedAt).not.toBeNull();
  });

  it('ends the earlier link when a new one is sent: only the newest verifies', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness, { verified: false });
    const first = await verificationTokenFor(harness, tenant.email);
    await api.post('/api/auth/resend-verification').send({ email: tenant.email }).expect(202, { accepted: true });
    const second = await verificationTokenFor(harness, tenant.email, 1);

    const old = await api.get('/api/auth/verify-email').query({ token: first }).expect(400);
    expect(expectError(old.body, 'VALIDATION_FAILED').details).toEqual({ reason: 'TOKEN_EXPIRED' });
    expect((await harness.database.prisma.user.findUniqueOrThrow({ where: { id: tenant.userId } })).emailVerifiedAt).toBeNull();
    await api.get('/api/auth/verify-email').query({ token: second }).expect(200);
  });

  it('answers a resend for an unknown address exactly like a known one, and sends nothing', async () => {
    const before = harness.smtp.messages.length;
    await request(harness.app).post('/api/auth/resend-verification').send({ email: 'nobody@example.test' }).expect(202, { accepted: true });
    expect(harness.smtp.messages.length).toBe(before);
  });

  it('does not reveal whether the address or the password was wrong, and limits guessing with 429 — from the guessing address only', async () => {
    const api = request(harness.app);
    const owner = '203.0.113.7';
    const tenant = await signUp(harness);
    const wrongPassword = await api.post('/api/auth/login').send({ email: tenant.email, password: 'wrong password' }).expect(401);
    const unknownUser = await api.post('/api/auth/login').send({ email: 'ghost@example.test', password: 'wrong password' }).expect(401);
    expect(wrongPassword.body).toEqual(unknownUser.body);
    expect(expectError(wrongPassword.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'INVALID_CREDENTIALS' });

    await api.post('/api/auth/login').send({ email: tenant.email, password: 'wrong again' }).expect(401);
    await api.post('/api/auth/login').send({ email: tenant.email, password: 'and again' }).expect(401);
    // Three failures (the configured limit): even the right password waits now.
    const limited = await api.post('/api/auth/login').send({ email: tenant.email, password: tenant.password }).expect(429);
    expectError(limited.body, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    // The owner, signing in from elsewhere, is not locked out by someone else's guesses.
    await api.post('/api/auth/login').set('x-forwarded-for', owner).send({ email: tenant.email, password: tenant.password }).expect(200);

    harness.clock.advance(15 * 60 * 1000);
    try {
      await api.post('/api/auth/login').send({ email: tenant.email, password: tenant.password }).expect(200);
    } finally {
      harness.clock.advance(-15 * 60 * 1000);
    }
  });

  it('throttles registrations and verification resends per client address', async () => {
    const api = request(harness.app);
    const from = '198.51.100.23';
    for (let index = 0; index < 25; index += 1) {
      await api
        .post('/api/auth/resend-verification')
        .set('x-forwarded-for', from)
        .send({ email: `nobody${index}@example.test` })
        .expect(202);
    }
    const refused = await api
      .post('/api/auth/register')
      .set('x-forwarded-for', from)
      .send({ email: 'flood@example.test', password: 'correct horse battery', businessName: 'Flood' })
      .expect(429);
    expectError(refused.body, 'RATE_LIMITED');
    expect(await harness.database.prisma.user.count({ where: { email: 'flood@example.test' } })).toBe(0);
    // Another address registers as usual.
    await api
      .post('/api/auth/register')
      .set('x-forwarded-for', '198.51.100.24')
      .send({ email: 'other@example.test', password: 'correct horse battery', businessName: 'Other' })
      .expect(201);
  });

  it('refuses missing, forged and expired access tokens', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness);
    expect(expectError((await api.get('/api/auth/me').expect(401)).body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_MISSING' });
    const forged = `${tenant.accessToken.slice(0, -4)}AAAA`;
    expect(expectError((await api.get('/api/auth/me').set('authorization', `Bearer ${forged}`).expect(401)).body, 'UNAUTHENTICATED').details).toEqual(
      {
        reason: 'TOKEN_INVALID',
      },
    );
    harness.clock.advance(15 * 60 * 1000 + 1000);
    try {
      const expired = await api.get('/api/auth/me').set('authorization', tenant.bearer).expect(401);
      expect(expectError(expired.body, 'UNAUTHENTICATED').details).toEqual({ reason: 'TOKEN_EXPIRED' });
      // The refresh token still works and gives a fresh access token.
      const refreshed = await api.post('/api/auth/refresh').send({ refreshToken: tenant.refreshToken }).expect(200);
      await api.get('/api/auth/me').set('authorization', `Bearer ${refreshed.body.accessToken}`).expect(200);
    } finally {
      harness.clock.advance(-(15 * 60 * 1000 + 1000));
    }
  });

  it('signs out by revoking the refresh token family', async () => {
    const api = request(harness.app);
    const tenant = await signUp(harness);
    const rotated = await api.post('/api/auth/refresh').send({ refreshToken: tenant.refreshToken }).expect(200);
    await api.post('/api/auth/logout').send({ refreshToken: rotated.body.refreshToken }).expect(204);
    const after = await api.post('/api/auth/refresh').send({ refreshToken: rotated.body.refreshToken }).expect(401);
    expectError(after.body, 'UNAUTHENTICATED');
    await api.post('/api/auth/logout').send({ refreshToken: 'unknown-token' }).expect(204);
  });

  it('logs the verification link when no SMTP server is configured, through the redacting logger', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'info', redact: { paths: redactedPaths, censor: '[redacted]' } }, sink);
    const app = express().use(
      '/api',
      createTenantApi({
        prisma: harness.database.prisma,
        logger,
        clock: harness.clock,
        config: harness.config,
        mailer: null,
        aiStatus: () => harness.aiStatus,
      }),
    );
    const sentBefore = harness.smtp.messages.length;
    await request(app)
      .post('/api/auth/register')
      .send({ email: 'laptop@example.test', password: 'long enough pw', businessName: 'Laptop' })
      .expect(201);

    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry['event'] === 'auth.verification_link');
    expect(logged).toMatchObject({ email: 'laptop@example.test' });
    const token = new URL(String(logged!['verificationUrl'])).searchParams.get('token');
    expect(String(logged!['verificationUrl'])).toMatch(/^http:\/\/platform\.test\/api\/auth\/verify-email\?token=/);
    await request(app).get('/api/auth/verify-email').query({ token }).expect(200);
    expect(harness.smtp.messages.length).toBe(sentBefore);
    expect(lines.join('')).not.toContain('long enough pw');
  });
});
