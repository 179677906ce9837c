import { parseGraphError, parseNetworkError, type ParsedGraphError } from './parse-graph-error.ts';

export const defaultGraphUrl = 'https://graph.facebook.com/v24.0';

export type GraphMediaType = 'image' | 'audio' | 'video' | 'document' | 'sticker';

/** What to send. Media goes by Meta media id or by a public link. */
export type GraphOutboundMessage =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | { type: GraphMediaType; mediaId?: string; link?: string; caption?: string; filename?: string; voice?: boolean };

export interface GraphSendInput {
  phoneNumberId: string;
  accessToken: string;
  /** Phone number (E.164 with or without `+`) … */
  to?: string | null;
  /** … or the customer's BSUID when the phone is hidden. */
  recipient?: string | null;
  message: GraphOutboundMessage;
  /** Quote this (customer) message in the reply. */
  replyToProviderMessageId?: string;
}

export interface GraphSendResult {
  providerMessageId: string;
  waId: string | null;
}

/** A failed Graph call, already mapped to a domain code and retry policy. */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  readonly parsed: ParsedGraphError;
  /** False only when the request provably never reached Meta (so resending cannot duplicate). */
  readonly requestMayHaveArrived: boolean;

  constructor(parsed: ParsedGraphError, requestMayHaveArrived: boolean, options?: { cause?: unknown }) {
    super(`${parsed.code}: ${parsed.message}`, options);
    this.parsed = parsed;
    this.requestMayHaveArrived = requestMayHaveArrived;
  }
}

/** A file to upload to a phone number's media (`POST /{phone-number-id}/media`), then sent by the id Meta answers. */
export interface GraphUploadInput {
  phoneNumberId: string;
  accessToken: string;
  body: Buffer;
  /** One of the types the Cloud API sends (image/jpeg, application/pdf …). */
  mimeType: string;
  filename: string;
}

export interface GraphApiClient {
  sendMessage(input: GraphSendInput): Promise<GraphSendResult>;
  /** Uploads a file; answers the media id Meta keeps for 30 days. Safe to repeat (a second upload is only a second id). */
  uploadMedia(input: GraphUploadInput): Promise<{ mediaId: string }>;
  markAsRead(input: { phoneNumberId: string; accessToken: string; messageId: string; typingIndicator?: boolean }): Promise<void>;
}

export interface GraphApiClientOptions {
  /** Versioned base URL (`META_GRAPH_URL`), e.g. `https://graph.facebook.com/v24.0`. */
  graphUrl?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** The Cloud API send endpoints over global fetch (protocols.md §1.5). Translates; never persists or decides. */
export function createGraphApiClient(options: GraphApiClientOptions = {}): GraphApiClient {
  const baseUrl = (options.graphUrl ?? defaultGraphUrl).replace(/\/+$/, '');
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function post(
    phoneNumberId: string,
    accessToken: string,
    body: Record<string, unknown> | FormData,
    edge: 'messages' | 'media' = 'messages',
  ): Promise<unknown> {
    let response: Response;
    try {
      const json = !(body instanceof FormData);
      response = await fetchImplementation(`${baseUrl}/${encodeURIComponent(phoneNumberId)}/${edge}`, {
        method: 'POST',
        // fetch writes the multipart boundary into content-type itself.
        headers: { authorization: `Bearer ${accessToken}`, ...(json ? { 'content-type': 'application/json' } : {}) },
        body: json ? JSON.stringify(body) : body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const parsed = parseNetworkError(error);
      // An upload that may have arrived is harmless to repeat (nothing reached the customer): retried like one that did not.
      throw new GraphApiError(parsed, edge === 'media' ? false : parsed.requestMayHaveArrived, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new GraphApiError(parseGraphError(response.status, text), true);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GraphApiError(parseGraphError(response.status, text), true);
    }
  }

  return {
    async sendMessage(input) {
      const body = buildSendBody(input);
      const result = (await post(input.phoneNumberId, input.accessToken, body)) as {
        messages?: { id?: string }[];
        contacts?: { wa_id?: string }[];
      };
      const providerMessageId = result.messages?.[0]?.id;
      if (!providerMessageId) {
        throw new GraphApiError(
          {
            ...parseGraphError(200, 'missing messages[0].id'),
            code: 'META_UNKNOWN',
            message: 'Graph API accepted the send but returned no message id',
          },
          true,
        );
      }
      return { providerMessageId, waId: result.contacts?.[0]?.wa_id ?? null };
    },
    async uploadMedia(input) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', input.mimeType);
      form.set('file', new Blob([new Uint8Array(input.body)], { type: input.mimeType }), input.filename);
      const result = (await post(input.phoneNumberId, input.accessToken, form, 'media')) as { id?: unknown };
      if (typeof result.id !== 'string' || result.id === '') {
        throw new GraphApiError(
          { ...parseGraphError(200, 'missing id'), code: 'META_UNKNOWN', message: 'Graph API accepted the upload but returned no media id' },
          false,
        );
      }
      return { mediaId: result.id };
    },
    async markAsRead(input) {
      const body: Record<string, unknown> = { messaging_product: 'whatsapp', status: 'read', message_id: input.messageId };
      if (input.typingIndicator) body.typing_indicator = { type: 'text' };
      await post(input.phoneNumberId, input.accessToken, body);
    },
  };
}

/** The JSON body of `POST /{phone-number-id}/messages` for one message. Pure. */
export function buildSendBody(input: Omit<GraphSendInput, 'phoneNumberId' | 'accessToken'>): Record<string, unknown> {
  if (!input.to && !input.recipient) throw new Error('A Graph send needs a phone number (to) or a BSUID (recipient).');
  const body: Record<string, unknown> = { messaging_product: 'whatsapp', recipient_type: 'individual' };
  if (input.to) body.to = input.to;
  if (input.recipient) body.recipient = input.recipient;
  if (input.replyToProviderMessageId) body.context = { message_id: input.replyToProviderMessageId };
  const message = input.message;
  body.type = message.type;
  if (message.type === 'text') {
    body.text = { body: message.text, preview_url: message.previewUrl ?? false };
    return body;
  }
  if (!message.mediaId && !message.link) throw new Error(`A ${message.type} send needs a media id or a link.`);
  const media: Record<string, unknown> = message.mediaId ? { id: message.mediaId } : { link: message.link };
  // Meta rejects captions on audio and stickers, and a filename on anything but documents.
  if (message.caption && message.type !== 'audio' && message.type !== 'sticker') media.caption = message.caption;
  if (message.filename && message.type === 'document') media.filename = message.filename;
  if (message.type === 'audio' && message.voice) media.voice = true;
  body[message.type] = media;
  return body;
}
