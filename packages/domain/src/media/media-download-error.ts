/**
 * Why one download attempt failed, as the shared queue needs to know it: give the file up now, or try again later.
 * A provider's downloader maps its own failures to these (the Graph API's error codes, a CDN's status …).
 */
export type MediaDownloadErrorCode =
  /** The provider no longer has the file (expired or deleted media id): given up at once. */
  | 'MEDIA_GONE'
  /** Larger than the platform accepts: given up at once. */
  | 'MEDIA_TOO_LARGE'
  /** The provider refused the request for good (a malformed id, a permission it will not grant): given up at once. */
  | 'MEDIA_REJECTED'
  /** The provider or the network failed for now (5xx, rate limit, timeout): retried with backoff. */
  | 'MEDIA_TEMPORARY'
  /** The bytes do not match the announced hash or size: retried (a fresh download may be whole). */
  | 'MEDIA_CORRUPT'
  /** The instance's credentials are missing, unreadable or refused: retried (a person may renew them). */
  | 'MEDIA_CREDENTIALS';

const permanentCodes: ReadonlySet<MediaDownloadErrorCode> = new Set(['MEDIA_GONE', 'MEDIA_TOO_LARGE', 'MEDIA_REJECTED']);

export class MediaDownloadError extends Error {
  override readonly name = 'MediaDownloadError';
  readonly code: MediaDownloadErrorCode;

  constructor(code: MediaDownloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True when another attempt cannot succeed: the queue gives the file up at once. */
  get permanent(): boolean {
    return permanentCodes.has(this.code);
  }
}
