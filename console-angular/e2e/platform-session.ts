import { createTestDatabase, type TestDatabase } from '@app/db/testing';
import type { Page } from 'playwright-core';
import { freePort, startPlatformProcess, type PlatformProcess } from '../../services/standalone/test/platform-process.ts';
import type { Owner } from './inbox-seed.ts';

/** The platform as `npm start` runs it, on a fresh PostgreSQL database of its own (benchmarks and browser tests). */
export async function startPlatformOnFreshDatabase(environment: Record<string, string> = {}): Promise<{ database: TestDatabase; platform: PlatformProcess }> {
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
  return { database, platform };
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

/** Signs in through the console's login page, as an operator would, and waits for the inbox. */
export async function signInToConsole(page: Page, platformUrl: string, owner: Pick<Owner, 'email' | 'password'>): Promise<void> {
  await page.goto(`${platformUrl}/login`);
  await page.getByLabel('E-mail address').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/inbox');
}
