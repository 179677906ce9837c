import { MediaDownloadError } from '@app/domain';
import { createHash } from 'node:crypto';
import type { ParsedGraphError } from '../egress/parse-graph-error.ts';

/**
 * A failed media lookup (`GET /{media-id}`) → retry or give up. Pure. The media id is gone for good when Meta says
 * the object does not exist (100: expired after its 7 days, deleted, or another number's) or cannot be downloaded
 * (131052); throttling and outages are retried; refused credentials are retried too (a person may renew the token
 * before the attempts run out); any other refusal is final.
 */
export function mediaLookupFailure(mediaId: string, parsed: ParsedGraphError): MediaDownloadError {
  const message = `lookup of media ${mediaId}: ${parsed.message}`;
  if (parsed.flagInstance) return new MediaDownloadError('MEDIA_CREDENTIALS', message);
  if (parsed.retry !== 'none') return new MediaDownloadError('MEDIA_TEMPORARY', message);
  if (parsed.metaCode === 100 || parsed.metaCode === 131052) return new MediaDownloadError('MEDIA_GONE', message);
  return new MediaDownloadError('MEDIA_REJECTED', message);
}

/**
 * A failed download of the URL the lookup returned → always retried (bounded by the queue's attempts). Pure. Meta:
 * on a 404 get a new URL (every attempt looks one up), then renew the token; if the media itself is gone, the next
 * lookup says so and gives it up.
 */
export function mediaUrlFailure(mediaId: string, parsed: ParsedGraphError): MediaDownloadError {
  const message = `download of media ${mediaId}: ${parsed.message}`;
  return new MediaDownloadError(parsed.flagInstance ? 'MEDIA_CREDENTIALS' : 'MEDIA_TEMPORARY', message);
}

/** The bytes against Meta's announced SHA-256 (hex in the lookup; base64 in some webhook payloads). Pure. */
export function sha256Matches(body: Buffer, announced: string): boolean {
  const digest = createHash('sha256').update(body).digest();
  const value = announced.trim();
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase() === digest.toString('hex');
  return value.replace(/=+$/, '') === digest.toString('base64').replace(/=+$/, '') || value.replace(/=+$/, '') === digest.toString('base64url');
}
