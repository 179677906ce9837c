import { MediaDownloadError } from '@app/domain';
import { defaultGraphUrl, GraphApiError } from '../egress/graph-api-client.ts';
import { parseGraphError, parseNetworkError } from '../egress/parse-graph-error.ts';

/** What `GET /{version}/{media-id}` answers (protocols.md §1.8). The URL is valid for 5 minutes. */
export interface GraphMediaInfo {
  url: string;
  mimeType: string | null;
  /** As Meta sends it (hex, or base64 in some payloads); null when absent. */
  sha256: string | null;
  fileSize: number | null;
}

export interface GraphMediaClient {
  /** A fresh download URL and the file's metadata; `phoneNumberId` makes Meta check the media is that number's. */
  lookupMedia(input: { mediaId: string; phoneNumberId: string; accessToken: string }): Promise<GraphMediaInfo>;
  /** The bytes behind a media URL (the Bearer token is required there too); refuses more than `maxBytes`. */
  downloadMedia(input: { url: string; accessToken: string; maxBytes: number }): Promise<Buffer>;
}

export interface GraphMediaClientOptions {
  /** Versioned base URL (`META_GRAPH_URL`). */
  graphUrl?: string;
  fetch?: typeof globalThis.fetch;
  lookupTimeoutMs?: number;
  /** The whole download, body included (default 5 min: 100 MB on a slow link). */
  downloadTimeoutMs?: number;
}

/** The Cloud API media endpoints over fetch. Translates to GraphApiError / MediaDownloadError; never persists. */
export function createGraphMediaClient(options: GraphMediaClientOptions = {}): GraphMediaClient {
  const baseUrl = (options.graphUrl ?? defaultGraphUrl).replace(/\/+$/, '');
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? 20_000;
  const downloadTimeoutMs = options.downloadTimeoutMs ?? 300_000;

  async function get(url: string, accessToken: string, timeoutMs: number): Promise<Response> {
    try {
      return await fetchImplementation(url, { headers: { authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const parsed = parseNetworkError(error);
      throw new GraphApiError(parsed, parsed.requestMayHaveArrived, { cause: error });
    }
  }

  return {
    async lookupMedia({ mediaId, phoneNumberId, accessToken }) {
      const url = `${baseUrl}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(phoneNumberId)}`;
      const response = await get(url, accessToken, lookupTimeoutMs);
      const text = await response.text();
      if (!response.ok) throw new GraphApiError(parseGraphError(response.status, text), true);
      let body: { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GraphApiError(parseGraphError(response.status, text), true);
      }
      if (typeof body.url !== 'string' || body.url === '') {
        throw new GraphApiError(
          { ...parseGraphError(response.status, text), code: 'META_UNKNOWN', message: 'The media lookup returned no url' },
          true,
        );
      }
      const fileSize = Number(body.file_size);
      return {
        url: body.url,
        mimeType: typeof body.mime_type === 'string' && body.mime_type !== '' ? body.mime_type : null,
        sha256: typeof body.sha256 === 'string' && body.sha256 !== '' ? body.sha256 : null,
        fileSize: body.file_size !== undefined && body.file_size !== null && Number.isFinite(fileSize) ? fileSize : null,
      };
    },

    async downloadMedia({ url, accessToken, maxBytes }) {
      const response = await get(url, accessToken, downloadTimeoutMs);
      if (!response.ok) throw new GraphApiError(parseGraphError(response.status, await response.text()), true);
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel();
        throw tooLarge(declared, maxBytes);
      }
      return readAtMost(response, maxBytes);
    },
  };
}

async function readAtMost(response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(total, maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof MediaDownloadError) throw error;
    // The connection broke or the download timed out mid-body: a later attempt fetches a fresh URL.
    throw new MediaDownloadError('MEDIA_TEMPORARY', `the media download broke off after ${total} bytes: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return Buffer.concat(chunks);
}

function tooLarge(bytes: number, maxBytes: number): MediaDownloadError {
  return new MediaDownloadError('MEDIA_TOO_LARGE', `the media is ${bytes} bytes or more; at most ${maxBytes} are accepted`);
}
