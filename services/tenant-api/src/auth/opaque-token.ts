import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret (refresh token, e-mail verification token) and the hash that is stored instead of it. */
export function createOpaqueToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashOpaqueToken(token) };
}

/** SHA-256 is enough here: the tokens carry 256 random bits, so there is nothing to brute-force. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
