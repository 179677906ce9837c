import { serializeLikeMeta, signMetaPayload } from './meta-signature.ts';

export interface PostSignedMetaWebhookOptions {
  /** Full URL of our webhook route, e.g. `http://127.0.0.1:3000/webhooks/meta`. */
  url: string;
  appSecret: string;
  /** A payload object, serialized the way Meta does (non-ASCII as `\uXXXX`) … */
  payload?: unknown;
  /** … or the exact bytes to send. */
  body?: string;
  /** Override the computed header (a wrong signature); `null` sends none. */
  signature?: string | null;
}

/** Posts a webhook to our server as Meta would: raw JSON bytes plus `X-Hub-Signature-256` over them. */
export async function postSignedMetaWebhook(options: PostSignedMetaWebhookOptions): Promise<Response> {
  const body = options.body ?? serializeLikeMeta(options.payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signMetaPayload(body, options.appSecret) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(options.url, { method: 'POST', headers, body });
}
