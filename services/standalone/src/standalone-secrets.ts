import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StandaloneSecrets {
  jwtSecret: string;
  credentialsKey: string;
}

/**
 * A laptop run needs no secrets configured: the first start generates them and keeps them next to the embedded
 * database (mode 0600), so tokens and encrypted credentials stay valid across restarts. Production sets
 * JWT_SECRET and CREDENTIALS_KEY (tenant-api's config requires them when NODE_ENV=production).
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<StandaloneSecrets> {
  const path = join(dataDir, 'secrets.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as StandaloneSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: StandaloneSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    credentialsKey: randomBytes(32).toString('base64'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process created it first: use theirs.
    if (error.code !== 'EEXIST') throw error;
  });
  return JSON.parse(await readFile(path, 'utf8')) as StandaloneSecrets;
}
