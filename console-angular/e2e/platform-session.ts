import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { Page } from 'playwright-core';
import { freePort, startPlatformProcess, type PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import type { Owner } from './inbox-seed.ts';

export interface PlatformOnFreshDatabase {
  database: TestDatabase;
  platform: PlatformProcess;
  /** Stops the platform, then drops its database. */
  close(): Promise<void>;
}

/** The platform as `npm start` runs it, on a fresh PostgreSQL database of its own (benchmarks and browser tests). */
export async function startPlatformOnFreshDatabase(environment: Record<string, string> = {}): Promise<PlatformOnFreshDatabase> {
  const database = await createTestDatabase();
  const port = await freePort();
  const platform = await startPlatformProcess(
    {
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'a-test-jwt-secret-that-is-long-enough-0123456789',
      CREDENTIALS_KEY: Buffer.alloc(32, 9).toString('base64'),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...environment,
    },
    port,
  );
  return {
    database,
    platform,
    async close() {
      await platform.stop();
      await database.close();
      await database.drop();
    },
  };
}

/** An access token of the owner, from the API's own login (a client beside the browser). */
export async function accessTokenOf(platformUrl: string, owner: Pick<Owner, 'email' | 'password'>): Promise<string> {
  const response = await fetch(`${platformUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password: owner.password }),
  });
  if (!response.ok) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** One API call as a client beside the browser; the body is parsed JSON ({} when empty). */
export async function callApi(
  platformUrl: string,
  accessToken: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${platformUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs in through the console's login page, as an operator would, and waits for the inbox. */
export async function signInToConsole(page: Page, platformUrl: string, owner: Pick<Owner, 'email' | 'password'>): Promise<void> {
  await page.goto(`${platformUrl}/login`);
  await page.getByLabel('E-mail address').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/inbox');
}
