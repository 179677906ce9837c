import { createTestDatabase } from '@app/db/testing';
import { expectEventually } from '@app/testkit';
import { startGraphApiServer, type GraphApiServer } from '@app/testkit/meta-graph';
import { createOpenAiTestServer, type OpenAiTestServer } from '@app/testkit/openai';
import { startSmtpCaptureServer, type SmtpCaptureServer } from '@app/testkit/smtp';
import { createLogger } from '@app/runtime/service';
import { loadStandaloneConfig } from '../src/config.ts';
import { startPlatform, type Platform } from '../src/create-platform.ts';

export const metaAppSecret = 'test-app-secret';
export const metaVerifyToken = 'test-verify-token';

/** The doubles a platform under test talks to instead of OpenAI, Meta and an SMTP provider. */
export interface RemoteDoubles {
  openai: OpenAiTestServer;
  graph: GraphApiServer;
  smtp: SmtpCaptureServer;
  close(): Promise<void>;
}

export async function startRemoteDoubles(): Promise<RemoteDoubles> {
  const [openai, graph, smtp] = await Promise.all([createOpenAiTestServer(), startGraphApiServer(), startSmtpCaptureServer()]);
  return {
    openai,
    graph,
    smtp,
    close: async () => void (await Promise.all([openai.close(), graph.close(), smtp.close()])),
  };
}

/** The environment a person would set to run the platform against the doubles and a PostgreSQL database. */
export function platformEnvironment(doubles: RemoteDoubles, databaseUrl: string, overrides: Record<string, string> = {}) {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'a-test-jwt-secret-that-is-long-enough-0123456789',
    CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_PASSES: '1',
    SMTP_URL: doubles.smtp.url,
    OPENAI_BASE_URL: doubles.openai.baseURL,
    OPENAI_API_KEY: 'sk-test',
    META_APP_SECRET: metaAppSecret,
    META_VERIFY_TOKEN: metaVerifyToken,
    META_GRAPH_URL: doubles.graph.url,
    ...overrides,
  };
}

export interface TestPlatform {
  platform: Platform;
  doubles: RemoteDoubles;
  close(): Promise<void>;
}

export async function startTestPlatform(overrides: Record<string, string> = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const doubles = await startRemoteDoubles();
  const environment = platformEnvironment(doubles, database.url, overrides);
  const platform = await startPlatform({
    config: loadStandaloneConfig(environment),
    logger: createLogger({ service: 'platform-test', level: environment.LOG_LEVEL }),
  });
  return {
    platform,
    doubles,
    close: async () => {
      await platform.stop();
      await doubles.close();
      await database.close();
      await database.drop();
    },
  };
}

/** A tenant as the API creates one: registered, e-mail verified through the SMTP double, logged in. */
export interface TestTenant {
  accessToken: string;
  businessId: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function onboardTenant(baseUrl: string, smtp: SmtpCaptureServer, email: string): Promise<TestTenant> {
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const password = 'correct horse battery staple';
  const registered = await call('POST', '/api/auth/register', { email, password, businessName: `Shop of ${email}` });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const mail = await smtp.waitForMail((candidate) => candidate.envelopeTo.includes(email));
  const link = /https?:\/\/\S*verify-email\?token=[\w.~%-]+/.exec(mail.text ?? mail.html ?? mail.raw)?.[0];
  if (!link) throw new Error('no verification link in the e-mail');
  const verifyPath = new URL(link).pathname + new URL(link).search;
  const verified = await call('GET', verifyPath);
  if (verified.status !== 200) throw new Error(`verify failed: ${JSON.stringify(verified.body)}`);
  const login = await call('POST', '/api/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const accessToken = login.body.accessToken as string;
  const me = await call('GET', '/api/auth/me', undefined, accessToken);
  return {
    accessToken,
    businessId: me.body.business.id as string,
    api: async (method, path, body) => (await call(method, path, body, accessToken)) as never,
  };
}

export { expectEventually };
