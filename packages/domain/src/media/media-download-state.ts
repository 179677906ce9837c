import { MediaDownloadError } from './media-download-error.ts';

/** `content.media.download` of a message: how getting its bytes into the object store goes. */
export interface MediaDownloadState {
  state: 'pending' | 'stored' | 'failed';
  attempts: number;
  /** The last failure, as the console shows it (`CODE: message` when the downloader classified it). */
  error?: string;
}

/** The state a message with media is stored with, together with its download row. */
export const pendingDownloadState: MediaDownloadState = { state: 'pending', attempts: 0 };

const maxErrorLength = 500;

/** Backoff before the next attempt after `attempts` failed ones: base, 2×base, 4×base … capped. Pure. */
export function downloadRetryDelayMs(attempts: number, policy: { baseMs: number; maxMs: number }): number {
  return Math.min(policy.baseMs * 2 ** Math.max(0, attempts - 1), policy.maxMs);
}

/**
 * What a failed attempt means for the message: still pending (retried later) or given up — after the last attempt,
 * or at once when the downloader said the file is gone for good. Pure.
 */
export function downloadFailure(error: unknown, attempts: number, maxAttempts: number): { givingUp: boolean; download: MediaDownloadState } {
  const permanent = error instanceof MediaDownloadError && error.permanent;
  const givingUp = permanent || attempts >= maxAttempts;
  const text =
    error instanceof MediaDownloadError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message || error.name : String(error);
  return { givingUp, download: { state: givingUp ? 'failed' : 'pending', attempts, error: text.slice(0, maxErrorLength) } };
}

/** The `media` object of stored message content, or null. Pure. */
export function mediaOfContent(content: unknown): { mimeType?: string } | null {
  const media = (content as { media?: unknown } | null)?.media;
  return media && typeof media === 'object' ? (media as { mimeType?: string }) : null;
}
