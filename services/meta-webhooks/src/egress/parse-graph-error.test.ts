import { graphErrorResponse } from '@app/testkit/meta-graph';
import { describe, expect, it } from 'vitest';
import { parseGraphError, parseNetworkError } from './parse-graph-error.ts';

function parse(code: number) {
  const response = graphErrorResponse(code);
  return parseGraphError(response.httpStatus, JSON.stringify(response.body));
}

describe('parseGraphError', () => {
  it.each([
    [131047, 'META_WINDOW_CLOSED', 'none'],
    [130429, 'META_THROUGHPUT_LIMIT', 'backoff'],
    [131056, 'META_PAIR_RATE_LIMIT', 'recipient'],
    [131026, 'META_UNDELIVERABLE', 'none'],
    [131000, 'META_TEMPORARY', 'backoff'],
    [1, 'META_TEMPORARY', 'backoff'],
    [2, 'META_TEMPORARY', 'backoff'],
    [131016, 'META_TEMPORARY', 'backoff'],
    [0, 'META_AUTH_FAILED', 'none'],
    [190, 'META_AUTH_FAILED', 'none'],
    [100, 'META_INVALID_REQUEST', 'none'],
    [131008, 'META_INVALID_REQUEST', 'none'],
    [131009, 'META_INVALID_REQUEST', 'none'],
    [131049, 'META_MARKETING_LIMITED', 'none'],
    [131050, 'META_RECIPIENT_OPTED_OUT', 'none'],
    [131057, 'META_MAINTENANCE', 'backoff'],
    [250, 'META_PERMISSION_DENIED', 'none'],
    [999999, 'META_UNKNOWN', 'none'],
  ])('code %i → %s, retry %s', (code, domainCode, retry) => {
    expect(parse(code)).toMatchObject({ code: domainCode, metaCode: code, retry });
  });

  it('keys on the code, not the HTTP status', () => {
    const response = graphErrorResponse(131047, { httpStatus: 500 });
    expect(parseGraphError(500, response.body)).toMatchObject({ code: 'META_WINDOW_CLOSED', retry: 'none', templateRequired: true });
  });

  it('flags the instance on authentication failures only', () => {
    expect(parse(190).flagInstance).toBe(true);
    expect(parse(0).flagInstance).toBe(true);
    expect(parse(130429).flagInstance).toBe(false);
  });

  it('keeps Meta message and details', () => {
    expect(parse(130429)).toMatchObject({ message: '(#130429) Rate limit hit', details: 'Cloud API message throughput has been reached.' });
  });

  it('treats a 5xx without an envelope as transient and a 4xx without one as permanent', () => {
    expect(parseGraphError(502, '<html>Bad gateway</html>')).toMatchObject({ code: 'META_TEMPORARY', retry: 'backoff', metaCode: null });
    expect(parseGraphError(404, 'Not Found')).toMatchObject({ code: 'META_UNKNOWN', retry: 'none' });
  });

  it('knows which network failures prove the request never left', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(parseNetworkError(refused).requestMayHaveArrived).toBe(false);
    expect(parseNetworkError(reset).requestMayHaveArrived).toBe(true);
  });
});
