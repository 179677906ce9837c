import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphErrorResponse } from './graph-errors.ts';

/** One HTTP request the double received, as the test wants to assert on it. */
export interface RecordedGraphRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** The HTTP status the double answered with. */
  status: number;
}

/** A message Meta would have accepted (and so delivered): the thing "exactly once" is about. */
export interface AcceptedGraphMessage {
  phoneNumberId: string;
  wamid: string;
  to: string | undefined;
  recipient: string | undefined;
  type: string;
  body: Record<string, unknown>;
}

/** A file the double accepted on `POST /{phone-number-id}/media` (then sendable by its id). */
export interface UploadedGraphMedia {
  phoneNumberId: string;
  id: string;
  type: string;
  bytes: Buffer;
  filename: string | null;
}

export interface InjectedGraphError {
  code: number;
  /** How many matching requests fail before the double answers normally again (default 1). */
  times?: number;
  details?: string;
  message?: string;
  httpStatus?: number;
  /** Only requests this predicate accepts fail (default: every send). */
  match?: (request: { phoneNumberId: string; body: Record<string, unknown> }) => boolean;
}

/** A media request that fails, as the Graph API or the CDN behind the media URL would. */
export interface InjectedMediaFailure {
  mediaId: string;
  /** The lookup (`GET /{version}/{media-id}`) or the download of the URL it returned (default: the lookup). */
  stage?: 'lookup' | 'download';
  /** A Graph error code, answered with Meta's envelope (graph-errors.ts) … */
  code?: number;
  /** … or a bare HTTP status without an envelope, as a proxy or the CDN answers (e.g. 502). */
  httpStatus?: number;
  /** How many matching requests fail before the double answers normally again (default 1). */
  times?: number;
}

export interface GraphApiServer {
  /** Versioned base URL to use as META_GRAPH_URL, e.g. `http://127.0.0.1:41234/v24.0`. */
  url: string;
  origin: string;
  version: string;
  requests: RecordedGraphRequest[];
  accepted: AcceptedGraphMessage[];
  readReceipts: { phoneNumberId: string; messageId: string }[];
  /** Media accepted by `POST /{phone-number-id}/media`, in order. */
  uploads: UploadedGraphMedia[];
  addPhoneNumber(phoneNumberId: string, accessToken: string): void;
  injectError(error: InjectedGraphError): void;
  /**
   * Media Meta holds for a phone number, as after an inbound media webhook: `GET /{version}/{id}` answers its URL,
   * mime_type, sha256 (hex of the bytes unless given) and file_size; the URL serves the bytes for 5 minutes with a
   * Bearer token. With `phoneNumberId`, only that number's access token (addPhoneNumber) is accepted.
   */
  addMedia(media: { id: string; bytes: Buffer; mimeType: string; phoneNumberId?: string; sha256?: string; fileSize?: number }): void;
  injectMediaFailure(failure: InjectedMediaFailure): void;
  /** Every media URL handed out so far stops working (as after its 5 minutes): only a fresh lookup downloads. */
  expireMediaUrls(): void;
  /** Downloads wait (after being recorded) until `release()`: a slow CDN, to see what does not wait for it. */
  holdMediaDownloads(): { release(): void };
  reset(): void;
  close(): Promise<void>;
}

export interface GraphApiServerOptions {
  version?: string;
  /** phoneNumberId → the only access token it accepts. */
  phoneNumbers?: Record<string, string>;
}

const mediaTypes = ['image', 'audio', 'video', 'document', 'sticker'];

/** The types `POST /{phone-number-id}/media` takes, by kind (Meta's supported media types). */
const uploadKinds: Record<string, 'image' | 'audio' | 'video' | 'document' | 'sticker'> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'sticker',
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/ogg': 'audio',
  'video/mp4': 'video',
  'video/3gpp': 'video',
  'text/plain': 'document',
  'application/pdf': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

/** Meta's size limits per kind (images 5 MB, audio and video 16 MB, documents 100 MB, stickers 500 KB). */
const uploadLimits = { image: 5 * 1024 * 1024, audio: 16 * 1024 * 1024, video: 16 * 1024 * 1024, document: 100 * 1024 * 1024, sticker: 500 * 1024 };

const startsWith = (prefix: number[]) => (body: Buffer) => prefix.every((byte, index) => body[index] === byte);
/** The magic numbers Meta checks a declared type against (types without one are taken as declared). */
const signatures: Record<string, (body: Buffer) => boolean> = {
  'image/jpeg': startsWith([0xff, 0xd8, 0xff]),
  'image/png': startsWith([0x89, 0x50, 0x4e, 0x47]),
  'application/pdf': startsWith([0x25, 0x50, 0x44, 0x46]),
  'audio/ogg': startsWith([0x4f, 0x67, 0x67, 0x53]),
  'video/mp4': (body) => body.subarray(4, 8).toString('latin1') === 'ftyp',
};

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  phoneNumberId?: string;
  sha256: string;
  fileSize: number;
}

/**
 * A wire-format double of the Cloud API's Graph endpoints (protocols.md §1.5–1.8) on an ephemeral port:
 * `POST /{version}/{phone-number-id}/messages` (sends and mark-as-read), `POST /{version}/{phone-number-id}/media` (multipart
 * uploads, checked by type, signature and size), media lookup (a URL valid 5 minutes,
 * sha256, file_size) / download (Bearer required) / delete, Meta's error envelope, and error injection per code. `fetch` talks to it with only the base URL changed.
 */
export async function startGraphApiServer(options: GraphApiServerOptions = {}): Promise<GraphApiServer> {
  const version = options.version ?? 'v24.0';
  const phoneNumbers = new Map(Object.entries(options.phoneNumbers ?? {}));
  const media = new Map<string, StoredMedia>();
  // A URL is valid for 5 minutes from the lookup that issued it (protocols.md §1.8).
  const mediaUrls = new Map<string, { mediaId: string; expiresAt: number }>();
  const mediaUrlLifetimeMs = 5 * 60_000;
  let mediaFailures: InjectedMediaFailure[] = [];
  let heldDownloads: Promise<void> | null = null;
  let injected: InjectedGraphError[] = [];
  const state = {
    requests: [] as RecordedGraphRequest[],
    accepted: [] as AcceptedGraphMessage[],
    readReceipts: [] as { phoneNumberId: string; messageId: string }[],
    uploads: [] as UploadedGraphMedia[],
  };
  let origin = '';

  const server = createServer((request, response) => {
    readBody(request)
      .then((raw) => handle(request, response, raw.toString('utf8'), raw))
      .catch((error: unknown) => send(response, 500, { error: { message: String(error), code: 1 } }));
  });

  function record(request: IncomingMessage, body: unknown, status: number) {
    state.requests.push({
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://double').pathname,
      authorization: request.headers.authorization,
      body,
      status,
    });
  }

  function reply(request: IncomingMessage, response: ServerResponse, status: number, body: unknown, requestBody: unknown) {
    record(request, requestBody, status);
    send(response, status, body);
  }

  function fail(request: IncomingMessage, response: ServerResponse, code: number, requestBody: unknown, message?: string) {
    const error = graphErrorResponse(code, message ? { message } : {});
    reply(request, response, error.httpStatus, error.body, requestBody);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, raw: string, bytes: Buffer) {
    const url = new URL(request.url ?? '/', 'http://double');
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0] === 'media-download' && segments[1]) return handleMediaDownload(request, response, segments[1], url.searchParams.get('hash'));
    if (segments[0] !== version) return reply(request, response, 404, { error: { message: 'Unknown path', code: 100 } }, raw);
    if (request.method === 'POST' && segments[1] && segments[2] === 'media' && segments.length === 3) {
      return handleMediaUpload(request, response, segments[1], bytes);
    }

    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return fail(request, response, 100, raw, '(#100) The request body is not valid JSON.');
      }
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) return fail(request, response, 190, body, 'An active access token must be used.');

    const [, objectId, edge] = segments;
    if (request.method === 'POST' && objectId && edge === 'messages') return handleMessages(request, response, objectId, token, body);
    const item = objectId && !edge ? media.get(objectId) : undefined;
    const phoneNumberId = url.searchParams.get('phone_number_id');
    // Unknown, deleted, or not this phone number's (when asked with ?phone_number_id): Meta answers the same 100.
    if (objectId && item && (!phoneNumberId || !item.phoneNumberId || item.phoneNumberId === phoneNumberId)) {
      if (!tokenFits(item, token)) return fail(request, response, 190, body, 'Error validating access token: Session has expired.');
      if (request.method === 'DELETE') {
        media.delete(objectId);
        return reply(request, response, 200, { success: true }, body);
      }
      if (request.method === 'GET') {
        const failure = takeMediaFailure(objectId, 'lookup');
        if (failure) return failMedia(request, response, failure);
        const hash = randomBytes(16).toString('hex');
        mediaUrls.set(hash, { mediaId: objectId, expiresAt: Date.now() + mediaUrlLifetimeMs });
        return reply(
          request,
          response,
          200,
          {
            messaging_product: 'whatsapp',
            url: `${origin}/media-download/${objectId}?hash=${hash}`,
            mime_type: item.mimeType,
            sha256: item.sha256,
            file_size: String(item.fileSize),
            id: objectId,
          },
          body,
        );
      }
    }
    const verb = (request.method ?? 'GET').toLowerCase();
    return fail(
      request,
      response,
      100,
      body,
      `Unsupported ${verb} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    );
  }

  function handleMediaDownload(request: IncomingMessage, response: ServerResponse, mediaId: string, hash: string | null) {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    // Meta: "If you omit your token, the request will fail".
    if (!token) return fail(request, response, 190, null);
    const item = media.get(mediaId);
    const issued = hash ? mediaUrls.get(hash) : undefined;
    if (!item || !issued || issued.mediaId !== mediaId || issued.expiresAt < Date.now()) return reply(request, response, 404, 'Not Found', null);
    if (!tokenFits(item, token)) return fail(request, response, 190, null);
    const failure = takeMediaFailure(mediaId, 'download');
    if (failure) return failMedia(request, response, failure);
    record(request, null, 200);
    const serve = () => {
      response.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.bytes.length });
      response.end(item.bytes);
    };
    if (heldDownloads) void heldDownloads.then(serve);
    else serve();
  }

  function tokenFits(item: StoredMedia, token: string): boolean {
    const expected = item.phoneNumberId ? phoneNumbers.get(item.phoneNumberId) : undefined;
    return expected === undefined || expected === token;
  }

  function takeMediaFailure(mediaId: string, stage: 'lookup' | 'download'): InjectedMediaFailure | null {
    const index = mediaFailures.findIndex((failure) => failure.mediaId === mediaId && (failure.stage ?? 'lookup') === stage);
    if (index < 0) return null;
    const failure = mediaFailures[index]!;
    const remaining = (failure.times ?? 1) - 1;
    if (remaining <= 0) mediaFailures.splice(index, 1);
    else mediaFailures[index] = { ...failure, times: remaining };
    return failure;
  }

  function failMedia(request: IncomingMessage, response: ServerResponse, failure: InjectedMediaFailure) {
    if (failure.code === undefined) return reply(request, response, failure.httpStatus ?? 500, 'Server Error', null);
    const envelope = graphErrorResponse(failure.code, failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus });
    return reply(request, response, envelope.httpStatus, envelope.body, null);
  }

  /**
   * `POST /{version}/{phone-number-id}/media`, multipart/form-data with `messaging_product=whatsapp`, `type` (the MIME
   * type) and `file`. Unkind like Meta: the type must be one the Cloud API sends, the bytes must be what the type says
   * (for the types with a signature), and each kind has its size limit. Answers `{ id }`, a media id of that number.
   */
  async function handleMediaUpload(request: IncomingMessage, response: ServerResponse, phoneNumberId: string, bytes: Buffer) {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const contentType = request.headers['content-type'] ?? '';
    let form: FormData | null = null;
    if (contentType.startsWith('multipart/form-data')) {
      try {
        form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
      } catch {
        form = null;
      }
    }
    const file = form?.get('file');
    const fields = {
      messaging_product: form?.get('messaging_product') ?? null,
      type: form?.get('type') ?? null,
      file: file instanceof Blob ? { size: file.size, type: file.type, name: (file as File).name ?? null } : null,
    };
    if (!token) return fail(request, response, 190, fields, 'An active access token must be used.');
    const expectedToken = phoneNumbers.get(phoneNumberId);
    if (expectedToken === undefined)
      return fail(request, response, 100, fields, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist.`);
    if (token !== expectedToken) return fail(request, response, 190, fields, 'Invalid OAuth access token - Cannot parse access token');
    if (!form) return fail(request, response, 100, fields, '(#100) The request must be multipart/form-data.');
    if (fields.messaging_product !== 'whatsapp') return fail(request, response, 100, fields, '(#100) The parameter messaging_product is required.');
    if (!(file instanceof Blob)) return fail(request, response, 100, fields, '(#100) The parameter file is required.');
    const type = typeof fields.type === 'string' ? fields.type.split(';')[0]!.trim().toLowerCase() : '';
    if (!type) return fail(request, response, 100, fields, '(#100) The parameter type is required.');
    const kind = uploadKinds[type];
    if (!kind)
      return fail(request, response, 100, fields, `(#100) Param type must be one of {${Object.keys(uploadKinds).join(', ')}} - got "${type}".`);
    const body = Buffer.from(await file.arrayBuffer());
    const limit = uploadLimits[kind];
    if (body.length === 0 || body.length > limit) {
      return fail(request, response, 131053, fields, `(#131053) Media upload error: the ${kind} is ${body.length} bytes; the limit is ${limit}.`);
    }
    const signature = signatures[type];
    if (signature && !signature(body)) {
      return fail(request, response, 131053, fields, `(#131053) Media upload error: the file is not a valid ${type}.`);
    }
    const id = String(1_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));
    media.set(id, { bytes: body, mimeType: type, phoneNumberId, sha256: createHash('sha256').update(body).digest('hex'), fileSize: body.length });
    state.uploads.push({ phoneNumberId, id, type, bytes: body, filename: (file as File).name ?? null });
    return reply(request, response, 200, { id }, fields);
  }

  function handleMessages(request: IncomingMessage, response: ServerResponse, phoneNumberId: string, token: string, body: Record<string, unknown>) {
    const expectedToken = phoneNumbers.get(phoneNumberId);
    if (expectedToken === undefined) {
      return fail(request, response, 100, body, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist.`);
    }
    if (token !== expectedToken) return fail(request, response, 190, body, 'Invalid OAuth access token - Cannot parse access token');
    if (body.messaging_product !== 'whatsapp') {
      return fail(request, response, 100, body, '(#100) The parameter messaging_product is required.');
    }
    const injectedIndex = injected.findIndex((error) => !error.match || error.match({ phoneNumberId, body }));
    if (injectedIndex >= 0) {
      const error = injected[injectedIndex]!;
      const remaining = (error.times ?? 1) - 1;
      if (remaining <= 0) injected.splice(injectedIndex, 1);
      else injected[injectedIndex] = { ...error, times: remaining };
      const envelope = graphErrorResponse(error.code, error);
      return reply(request, response, envelope.httpStatus, envelope.body, body);
    }
    if (body.status === 'read') {
      if (typeof body.message_id !== 'string') return fail(request, response, 100, body, '(#100) The parameter message_id is required.');
      state.readReceipts.push({ phoneNumberId, messageId: body.message_id });
      return reply(request, response, 200, { success: true }, body);
    }
    const to = typeof body.to === 'string' ? body.to : undefined;
    const recipient = typeof body.recipient === 'string' ? body.recipient : undefined;
    if (!to && !recipient) return fail(request, response, 100, body, '(#100) The parameter to is required.');
    const type = typeof body.type === 'string' ? body.type : 'text';
    const problem = validateMessageBody(type, body);
    if (problem) return fail(request, response, problem.code, body, problem.message);

    const wamid = `wamid.${randomBytes(24).toString('base64url')}`;
    state.accepted.push({ phoneNumberId, wamid, to, recipient, type, body });
    const contacts = to ? [{ input: to, wa_id: to.replace(/\D/g, '') }] : [{ input: recipient, user_id: recipient }];
    return reply(request, response, 200, { messaging_product: 'whatsapp', contacts, messages: [{ id: wamid }] }, body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/${version}`,
    origin,
    version,
    get requests() {
      return state.requests;
    },
    get accepted() {
      return state.accepted;
    },
    get readReceipts() {
      return state.readReceipts;
    },
    get uploads() {
      return state.uploads;
    },
    addPhoneNumber: (phoneNumberId, accessToken) => void phoneNumbers.set(phoneNumberId, accessToken),
    injectError: (error) => void injected.push(error),
    addMedia: (item) =>
      void media.set(item.id, {
        bytes: item.bytes,
        mimeType: item.mimeType,
        ...(item.phoneNumberId ? { phoneNumberId: item.phoneNumberId } : {}),
        sha256: item.sha256 ?? createHash('sha256').update(item.bytes).digest('hex'),
        fileSize: item.fileSize ?? item.bytes.length,
      }),
    injectMediaFailure: (failure) => void mediaFailures.push(failure),
    expireMediaUrls: () => mediaUrls.clear(),
    holdMediaDownloads: () => {
      let release!: () => void;
      heldDownloads = new Promise<void>((resolve) => {
        release = () => {
          heldDownloads = null;
          resolve();
        };
      });
      return { release };
    },
    reset: () => {
      state.requests = [];
      state.accepted = [];
      state.readReceipts = [];
      state.uploads = [];
      injected = [];
      mediaFailures = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function validateMessageBody(type: string, body: Record<string, unknown>): { code: number; message: string } | null {
  const payload = body[type] as Record<string, unknown> | undefined;
  if (payload === undefined || typeof payload !== 'object' || payload === null) {
    return { code: 100, message: `(#100) The parameter ${type} is required.` };
  }
  if (type === 'text' && (typeof payload.body !== 'string' || payload.body.length === 0)) {
    return { code: 100, message: "(#100) The parameter text['body'] is required." };
  }
  if (type === 'text' && (payload.body as string).length > 4096) {
    return { code: 100, message: "(#100) Param text['body'] must be at most 4096 characters long." };
  }
  if (mediaTypes.includes(type) && typeof payload.id !== 'string' && typeof payload.link !== 'string') {
    return { code: 131008, message: `(#131008) Required parameter is missing: ${type}['id'] or ${type}['link'].` };
  }
  return null;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  response.end(text);
}
