import { randomBytes } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { Clock, ObjectStore } from '@app/runtime/ports';
import { createLogger } from '@app/runtime/service';
import { startSmtpCaptureServer, type SmtpCaptureServer } from '@app/testkit/smtp';
import {
  createMailer,
  createTenantApi,
  loadTenantApiConfig,
  trustProxySetting,
  type AiStatus,
  type SessionControl,
  type TenantApiConfig,
} from '../src/index.ts';
import type { TenantApiDependencies } from '../src/dependencies.ts';

/** A clock the test moves by hand. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): void;
  set(date: Date): void;
}

export function createManualClock(start = new Date()): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (milliseconds) => {
      current += milliseconds;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

export interface TenantApiHarness {
  app: Express;
  /** The router createTenantApi returned (mounted at /api on app). */
  router: Router;
  database: TestDatabase;
  smtp: SmtpCaptureServer;
  clock: ManualClock;
  config: TenantApiConfig;
  credentialsKey: string;
  aiStatus: AiStatus;
  queueStatsCalls: string[];
  close(): Promise<void>;
}

/** The tenant API on a fresh PostgreSQL database, mounted at /api as the launchers do, mailing a capture server. */
export async function startTenantApiHarness(
  environment: Record<string, string> = {},
  options: {
    queueStats?: boolean;
    sessions?: SessionControl;
    objectStore?: ObjectStore;
    runAgentTests?: TenantApiDependencies['runAgentTests'];
  } = {},
): Promise<TenantApiHarness> {
  const [database, smtp] = await Promise.all([createTestDatabase(), startSmtpCaptureServer()]);
  const clock = createManualClock();
  const credentialsKey = randomBytes(32).toString('base64');
  const config = loadTenantApiConfig({
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    CREDENTIALS_KEY: credentialsKey,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Platform <no-reply@platform.test>',
    PUBLIC_URL: 'http://platform.test',
    // Cheap argon2id parameters keep the suite fast; the algorithm and code path are the production ones.
    PASSWORD_HASH_MEMORY_KIB: '256',
    PASSWORD_HASH_PASSES: '2',
    // Every test signs up from 127.0.0.1 and seeds through the sandbox; the suites that test these limits set their own.
    SIGNUPS_PER_IP_PER_HOUR: '1000',
    SANDBOX_MESSAGES_PER_MINUTE: '100000',
    ...environment,
  });
  const aiStatus: AiStatus = { enabled: false, reason: 'OPENAI_API_KEY and OPENAI_BASE_URL are not set' };
  const queueStatsCalls: string[] = [];
  const router = createTenantApi({
    prisma: database.prisma,
    logger: createLogger({ service: 'tenant-api-test', level: 'silent' }),
    clock,
    config,
    mailer: createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }),
    aiStatus: () => aiStatus,
    ...(options.sessions ? { sessions: options.sessions } : {}),
    ...(options.objectStore ? { objectStore: options.objectStore } : {}),
    ...(options.runAgentTests ? { runAgentTests: options.runAgentTests } : {}),
    ...(options.queueStats === false
      ? {}
      : {
          queueStats: async (businessId: string) => {
            queueStatsCalls.push(businessId);
            return { inFlight: 1, waiting: 2, failed: 0, quarantined: 0 };
          },
        }),
  });
  const app = express();
  // As the launchers do: behind a trusted proxy, X-Forwarded-For is the client's address (rate limits key on it).
  const trustProxy = trustProxySetting(config.TRUST_PROXY);
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use('/api', router);
  return {
    app,
    router,
    database,
    smtp,
    clock,
    config,
    credentialsKey,
    aiStatus,
    queueStatsCalls,
    close: async () => {
      await Promise.all([database.drop(), smtp.close()]);
    },
  };
}

export interface SignedInTenant {
  email: string;
  password: string;
  userId: string;
  businessId: string;
  accessToken: string;
  refreshToken: string;
  /** `Authorization` header value. */
  bearer: string;
}

let accountCounter = 0;

/** Registers a business, optionally verifies its owner through the e-mailed link, and signs in. */
export async function signUp(harness: TenantApiHarness, options: { verified?: boolean; businessName?: string } = {}): Promise<SignedInTenant> {
  accountCounter += 1;
  const email = `owner${accountCounter}.${randomBytes(3).toString('hex')}@example.test`;
  const password = 'correct horse battery';
  const registered = await request(harness.app)
    .post('/api/auth/register')
    .send({ email, password, businessName: options.businessName ?? `Business ${accountCounter}` })
    .expect(201);
  if (options.verified !== false) {
    const token = await verificationTokenFor(harness, email);
    await request(harness.app).get('/api/auth/verify-email').query({ token }).expect(200);
  }
  // As an API client: the refresh token in the body, not in the browser's cookie.
  const login = await request(harness.app).post('/api/auth/login').send({ email, password, refreshTokenInBody: true }).expect(200);
  return {
    email,
    password,
    userId: registered.body.user.id,
    businessId: registered.body.business.id,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
    bearer: `Bearer ${login.body.accessToken}`,
  };
}

/** Waits for the newest verification mail to `email` and returns the token from its link. */
export async function verificationTokenFor(harness: TenantApiHarness, email: string, skip = 0): Promise<string> {
  const mail = await harness.smtp.waitForMail(
    (candidate) =>
      candidate.envelopeTo.includes(email) && harness.smtp.messages.filter((other) => other.envelopeTo.includes(email)).indexOf(candidate) === skip,
  );
  const link = /http:\/\/platform\.test\/api\/auth\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  expect(link, 'verification link in the mail text').not.toBeNull();
  return link![1]!;
}

/** The `{error:{code,message,details}}` shape, with the given code; returns the error for further checks. */
export function expectError(body: unknown, code: string): { code: string; message: string; details: unknown } {
  const error = (body as { error?: Record<string, unknown> }).error;
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys(error ?? {}).sort()).toEqual(['code', 'details', 'message']);
  expect(error?.['code']).toBe(code);
  expect(error?.['message']).toEqual(expect.any(String));
  return error as { code: string; message: string; details: unknown };
}
