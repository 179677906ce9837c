import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` for exactly these bytes, as Meta computes it with the App Secret. */
export function signMetaPayload(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * Serializes a payload the way Meta sends it: compact JSON with every non-ASCII character written as a
 * lowercase `\uXXXX` escape (emoji as surrogate pairs). A signature over these bytes is what our verifier sees.
 */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
