import { createHmac, timingSafeEqual } from 'node:crypto';

const prefix = 'sha256=';

/**
 * Checks Meta's `X-Hub-Signature-256` header: `sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * The HMAC covers the exact bytes Meta sent (non-ASCII arrives as `\uXXXX` escapes), so callers must pass the
 * raw request body, never a re-serialized object.
 */
export class MetaSignatureVerifier {
  readonly #appSecret: string;

  constructor(appSecret: string) {
    if (!appSecret) throw new Error('MetaSignatureVerifier needs the Meta App Secret.');
    this.#appSecret = appSecret;
  }

  sign(rawBody: Buffer | string): string {
    return prefix + createHmac('sha256', this.#appSecret).update(rawBody).digest('hex');
  }

  isValid(rawBody: Buffer | string, header: string | undefined | null): boolean {
    if (typeof header !== 'string' || !header.startsWith(prefix)) return false;
    const received = header.slice(prefix.length).trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(received)) return false;
    const expected = createHmac('sha256', this.#appSecret).update(rawBody).digest();
    // Equal lengths are guaranteed by the format check above; timingSafeEqual keeps the comparison constant-time.
    return timingSafeEqual(expected, Buffer.from(received, 'hex'));
  }
}
