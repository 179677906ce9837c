import { isInlineMediaType, servedMediaType } from '@app/domain';

/** Longest file name a download gets (bytes of UTF-8 are up to 4× this; browsers and file systems cap near 255). */
const maxFilenameLength = 120;

/**
 * The headers a customer's file is served with. The bytes come from customers, and rows stored before types were
 * sniffed may carry a dangerous claimed type, so the decision is made here too: only allow-listed types as
 * themselves (anything else `application/octet-stream`), never sniffed by the browser (`nosniff`), a sandbox CSP
 * should a browser render it anyway, and `inline` only for images, audio and video; everything else is a download.
 * Pure.
 */
export function mediaResponseHeaders(media: { contentType: string | null; filename: string | null; messageId: string }): Record<string, string> {
  const contentType = servedMediaType(media.contentType);
  const disposition = isInlineMediaType(contentType) ? 'inline' : 'attachment';
  return {
    'Content-Type': contentType,
    'Content-Disposition': contentDisposition(disposition, safeFilename(media.filename) ?? `media-${media.messageId}`),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
}

/**
 * A sender's file name as a download name: the last path segment, without control or bidi characters, quotes or
 * separators, and bounded in length. Null when nothing usable is left. Pure.
 */
export function safeFilename(name: string | null | undefined): string | null {
  const lastSegment = (name ?? '').split(/[/\\]/).pop() ?? '';
  // Control characters, bidi overrides (`invoice\u202Efdp.exe` shows as `invoiceexe.pdf`) and characters Windows refuses.
  const cleaned = lastSegment
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069"*:<>?|]/g, '')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  return cleaned ? Array.from(cleaned).slice(-maxFilenameLength).join('') : null;
}

/** RFC 6266: an ASCII `filename` for old clients and the exact name as RFC 5987 `filename*`. */
function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === filename ? `${type}; filename="${ascii}"` : `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
