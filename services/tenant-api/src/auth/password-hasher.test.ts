import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from './password-hasher.ts';

const fast = { memoryKib: 256, passes: 2, parallelism: 1 };

describe('password hasher (argon2id)', () => {
  const hasher = createPasswordHasher(fast);

  it('stores a PHC string with its parameters and a per-password salt', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=256,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(first).not.toBe(second);
  });

  it('accepts the right password and refuses a wrong one or a malformed hash', async () => {
    const stored = await hasher.hash('s3cret-passw0rd');
    await expect(hasher.verify('s3cret-passw0rd', stored)).resolves.toBe(true);
    await expect(hasher.verify('s3cret-passw0rd ', stored)).resolves.toBe(false);
    await expect(hasher.verify('s3cret-passw0rd', 'plain-text')).resolves.toBe(false);
  });

  it('verifies a hash made with other parameters, so the cost can be raised later', async () => {
    const older = await createPasswordHasher({ memoryKib: 128, passes: 3, parallelism: 1 }).hash('passphrase');
    await expect(hasher.verify('passphrase', older)).resolves.toBe(true);
  });
});
