import { describe, expect, it } from 'vitest';
import { MediaDownloadError } from './media-download-error.ts';
import { downloadFailure, downloadRetryDelayMs } from './media-download-state.ts';
import { inboundMediaKey } from './media-object-key.ts';

describe('media download state', () => {
  it('backs off exponentially between attempts, up to the cap', () => {
    const policy = { baseMs: 30_000, maxMs: 3_600_000 };
    expect([1, 2, 3, 4].map((attempts) => downloadRetryDelayMs(attempts, policy))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(downloadRetryDelayMs(20, policy)).toBe(3_600_000);
  });

  it('keeps a temporary failure pending until the last attempt, and gives a permanent one up at once', () => {
    const temporary = new MediaDownloadError('MEDIA_TEMPORARY', 'Graph API answered HTTP 503');
    expect(downloadFailure(temporary, 1, 3)).toEqual({
      givingUp: false,
      download: { state: 'pending', attempts: 1, error: 'MEDIA_TEMPORARY: Graph API answered HTTP 503' },
    });
    expect(downloadFailure(temporary, 3, 3).download.state).toBe('failed');
    expect(downloadFailure(new Error('socket hang up'), 2, 3)).toEqual({
      givingUp: false,
      download: { state: 'pending', attempts: 2, error: 'socket hang up' },
    });

    const gone = downloadFailure(new MediaDownloadError('MEDIA_GONE', 'the media id expired'), 1, 8);
    expect(gone).toEqual({ givingUp: true, download: { state: 'failed', attempts: 1, error: 'MEDIA_GONE: the media id expired' } });
    expect(downloadFailure(new MediaDownloadError('MEDIA_TOO_LARGE', 'x'), 1, 8).givingUp).toBe(true);
    expect(downloadFailure(new MediaDownloadError('MEDIA_CREDENTIALS', 'x'), 1, 8).givingUp).toBe(false);
  });

  it('keeps the recorded reason short', () => {
    expect(downloadFailure(new Error('x'.repeat(2_000)), 1, 8).download.error).toHaveLength(500);
  });
});

describe('inbound media keys', () => {
  it('keys objects by business, instance and message, with an extension from the mime type', () => {
    expect(inboundMediaKey({ businessId: 'b', instanceId: 'i', messageId: 'm', mimeType: 'audio/ogg; codecs=opus' })).toBe('media/b/i/m.ogg');
    expect(inboundMediaKey({ businessId: 'b', instanceId: 'i', messageId: 'm', mimeType: 'application/pdf' })).toBe('media/b/i/m.pdf');
    expect(inboundMediaKey({ businessId: 'b', instanceId: 'i', messageId: 'm', mimeType: 'application/x-unknown' })).toBe('media/b/i/m');
    expect(inboundMediaKey({ businessId: 'b', instanceId: 'i', messageId: 'm' })).toBe('media/b/i/m');
  });
});
