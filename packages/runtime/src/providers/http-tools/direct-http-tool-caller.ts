import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  forbiddenAddressKind,
  httpToolMaxRedirects,
  httpToolResponseCapBytes,
  isAllowListed,
  isIpAddress,
  type OutboundAllowList,
} from '@app/domain';
import { parseJsonAnswer, snippetOf, type HttpToolCaller, type HttpToolRequest, type HttpToolResponse } from './http-tool-caller.ts';

export interface DirectHttpToolCallerOptions {
  /** Plain http:// URLs are refused unless this is set (a local n8n). */
  allowHttp: boolean;
  /** Hosts and addresses the SSRF guard lets through although they are private, loopback … */
  allowList: OutboundAllowList;
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** DNS resolution (tests pass a fake resolver); default node:dns lookup. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  /** Extra CA certificates to trust (tests with a self-signed https server). */
  ca?: string | Buffer;
}

/** Refused before any byte left: the message is what the model and the test panel read. */
class OutboundRefused extends Error {}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Standalone HTTP tool calls, made directly from this process under the SSRF guard: https only unless allowed; the
 * host is resolved first and every address it resolves to must be public (or allow-listed), and the connection
 * goes to the checked address (the guard is the socket's `lookup`, so a second DNS answer cannot swap it). Redirects
 * are followed by hand, each hop checked the same way; a hop to another origin drops the tool's headers.
 */
export function createDirectHttpToolCaller(options: DirectHttpToolCallerOptions): HttpToolCaller {
  const maxResponseBytes = options.maxResponseBytes ?? httpToolResponseCapBytes;
  const maxRedirects = options.maxRedirects ?? httpToolMaxRedirects;
  const resolve =
    options.resolve ??
    ((hostname: string) =>
      new Promise<LookupAddress[]>((done, fail) =>
        dnsLookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses))),
      ));

  /** The socket's lookup: resolves, refuses when any address is off limits, hands over the checked ones. */
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const usable = addresses.filter((entry) => family === undefined || entry.family === family);
        if (usable.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
        const refused = usable.find((entry) => refusal(hostname, entry.address));
        if (refused) return callback(new OutboundRefused(refusal(hostname, refused.address)!), '', 4);
        if (lookupOptions.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

  function refusal(hostname: string, address: string): string | undefined {
    const kind = forbiddenAddressKind(address);
    if (kind === null || isAllowListed(options.allowList, { hostname, address })) return undefined;
    return `refused: ${hostname} is a ${kind} address (${address}); an operator can allow it with HTTP_TOOLS_ALLOW_LIST`;
  }

  function checkUrl(url: URL): string | undefined {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return `refused: ${url.protocol} URLs cannot be called`;
    if (url.protocol === 'http:' && !options.allowHttp)
      return 'refused: only https:// URLs are called (an operator can allow http with HTTP_TOOLS_ALLOW_HTTP)';
    if (url.username || url.password) return 'refused: credentials in the URL (use a header)';
    const hostname = bareHostname(url);
    // Literal addresses skip the socket's lookup: check them here.
    return isIpAddress(hostname) ? refusal(hostname, hostname) : undefined;
  }

  return {
    async call(request: HttpToolRequest): Promise<HttpToolResponse> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const timeout = AbortSignal.timeout(request.timeoutMs);
      const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return { ok: false, error: `refused: "${request.url}" is not a URL`, durationMs: elapsed() };
      }
      let method: string = request.method;
      let body: string | undefined = request.body;
      let headers: Record<string, string> = request.headers;
      try {
        for (let hop = 0; ; hop += 1) {
          const refused = checkUrl(url);
          if (refused) return { ok: false, error: refused, durationMs: elapsed() };
          const answer = await send(url, method, headers, body, signal);
          const status = answer.response.statusCode ?? 0;
          const location = answer.response.headers.location;
          if (redirectStatuses.has(status) && location) {
            answer.response.destroy();
            if (hop >= maxRedirects) return { ok: false, error: `more than ${maxRedirects} redirects`, status, durationMs: elapsed() };
            const next = new URL(location, url);
            // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
            if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
              method = 'GET';
              body = undefined;
            }
            if (next.origin !== url.origin) headers = {};
            url = next;
            continue;
          }
          const read = await readCapped(answer.response, maxResponseBytes);
          if (read.tooLarge) return { ok: false, error: `the answer is larger than ${maxResponseBytes} bytes`, status, durationMs: elapsed() };
          if (status < 200 || status > 299)
            return { ok: false, error: `HTTP ${status}`, status, snippet: snippetOf(read.text), durationMs: elapsed() };
          const parsed = parseJsonAnswer(status, read.text, answer.response.headers['content-type']);
          return parsed.ok
            ? { ok: true, status, body: parsed.body, durationMs: elapsed() }
            : { ok: false, error: parsed.error, status, snippet: parsed.snippet, durationMs: elapsed() };
        }
      } catch (error) {
        if (error instanceof OutboundRefused) return { ok: false, error: error.message, durationMs: elapsed() };
        if (timeout.aborted) return { ok: false, error: `timed out after ${request.timeoutMs} ms`, durationMs: elapsed() };
        if (signal.aborted) return { ok: false, error: 'cancelled', durationMs: elapsed() };
        const code = (error as NodeJS.ErrnoException).code;
        return { ok: false, error: `could not reach ${url.host}${code ? ` (${code})` : ''}`, durationMs: elapsed() };
      }
    },
  };

  function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal) {
    return new Promise<{ response: IncomingMessage }>((resolveAnswer, reject) => {
      const outgoing: OutgoingHttpHeaders = { ...headers };
      if (body !== undefined) {
        if (!Object.keys(outgoing).some((name) => name.toLowerCase() === 'content-type')) outgoing['content-type'] = 'application/json';
        outgoing['content-length'] = Buffer.byteLength(body);
      }
      const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = make(url, {
        method,
        headers: outgoing,
        signal,
        lookup: guardedLookup,
        // A fresh connection per call: a pooled socket would skip the lookup, and with it the guard.
        agent: false,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      request.on('response', (response) => resolveAnswer({ response }));
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** Reads at most `limit` bytes; a longer body is cut off (the socket destroyed) and reported as too large. */
function readCapped(response: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      response.destroy();
      resolve({ text: '', tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        response.destroy();
        resolve({ text: '', tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: false }));
    response.on('error', reject);
    // Closed before its end (timeout, reset): an error, never a truncated body taken for the answer.
    response.on('close', () => {
      if (!response.complete) reject(Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }));
    });
  });
}

function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
