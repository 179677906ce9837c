import { createHash } from 'node:crypto';
import { graphErrorResponse } from '@app/testkit/meta-graph';
import { describe, expect, it } from 'vitest';
import { parseGraphError } from '../egress/parse-graph-error.ts';
import { mediaLookupFailure, mediaUrlFailure, sha256Matches } from './media-failure.ts';
import { metaMediaSourceCodec } from './meta-media-source.ts';

const graphError = (code: number) => {
  const { httpStatus, body } = graphErrorResponse(code);
  return parseGraphError(httpStatus, JSON.stringify(body));
};

describe('Cloud API media failures: retry or give up', () => {
  it('gives up a media id Meta no longer has, and any other final refusal', () => {
    const gone = mediaLookupFailure('1908', graphError(100));
    expect(gone).toMatchObject({ code: 'MEDIA_GONE', permanent: true });
    expect(gone.message).toContain('lookup of media 1908');
    expect(mediaLookupFailure('1908', parseGraphError(400, { error: { code: 131052, message: 'Media download error' } }))).toMatchObject({
      code: 'MEDIA_GONE',
    });
    expect(mediaLookupFailure('1908', graphError(131009))).toMatchObject({ code: 'MEDIA_REJECTED', permanent: true });
    expect(mediaLookupFailure('1908', parseGraphError(404, 'Not Found'))).toMatchObject({ code: 'MEDIA_REJECTED', permanent: true });
  });

  it('retries outages, throttling and refused credentials', () => {
    for (const code of [1, 2, 131000, 131016, 4, 80007, 130429])
      expect(mediaLookupFailure('1', graphError(code))).toMatchObject({ code: 'MEDIA_TEMPORARY', permanent: false });
    expect(mediaLookupFailure('1', parseGraphError(502, '<html>Bad Gateway</html>'))).toMatchObject({ code: 'MEDIA_TEMPORARY' });
    expect(mediaLookupFailure('1', graphError(190))).toMatchObject({ code: 'MEDIA_CREDENTIALS', permanent: false });
  });

  it('retries every failed download of a media URL (the next attempt looks up a fresh one)', () => {
    expect(mediaUrlFailure('1', parseGraphError(404, 'Not Found'))).toMatchObject({ code: 'MEDIA_TEMPORARY', permanent: false });
    expect(mediaUrlFailure('1', parseGraphError(500, ''))).toMatchObject({ code: 'MEDIA_TEMPORARY' });
    expect(mediaUrlFailure('1', graphError(190))).toMatchObject({ code: 'MEDIA_CREDENTIALS', permanent: false });
  });
});

describe('Cloud API media checks and sources', () => {
  it('matches the announced SHA-256 in hex or base64, and nothing else', () => {
    const body = Buffer.from('OggS-voice-note');
    const digest = createHash('sha256').update(body).digest();
    expect(sha256Matches(body, digest.toString('hex'))).toBe(true);
    expect(sha256Matches(body, digest.toString('hex').toUpperCase())).toBe(true);
    expect(sha256Matches(body, digest.toString('base64'))).toBe(true);
    expect(sha256Matches(Buffer.from('OggS-voice-notE'), digest.toString('hex'))).toBe(false);
    expect(sha256Matches(body, 'not-a-hash')).toBe(false);
  });

  it('keeps the media id and phone number through the sealed text form, and refuses a malformed one', () => {
    const source = { mediaId: '1908647269898587', phoneNumberId: '106540352242922' };
    expect(metaMediaSourceCodec.decode(metaMediaSourceCodec.encode(source))).toEqual(source);
    expect(() => metaMediaSourceCodec.decode('{"mediaId":"1"}')).toThrow(/phoneNumberId/);
  });
});
