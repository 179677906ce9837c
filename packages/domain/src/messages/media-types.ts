/**
 * Which media types the platform stores and serves as themselves. A WhatsApp customer chooses the type their client
 * claims, so the claim is never trusted: ingest stores the type detected from the bytes (`storedMediaType`), and the
 * media route serves only these types as themselves (`servedMediaType`). Everything else is
 * `application/octet-stream`: a browser downloads it and never renders it (no HTML, no SVG, no script).
 */
const octetStream = 'application/octet-stream';

/** What WhatsApp carries and a browser shows in a page without running anything: `<img>`, `<audio>`, `<video>`. */
const inlineMediaTypes = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'audio/ogg',
  'audio/mpeg',
  'audio/aac',
  'audio/amr',
  'audio/mp4',
  'video/mp4',
  'video/3gpp',
]);

/** Documents WhatsApp carries: stored and served as themselves, but always as a download. */
const documentTypes = new Set([
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

/** The legacy Office formats share one container (Compound File Binary); its bytes do not say which of them it is. */
const compoundFileTypes = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint']);

/** Detected names that mean an allow-listed type (a sniffer's spelling → the one we store). */
const detectedAliases: Record<string, string> = { 'audio/x-m4a': 'audio/mp4', 'audio/x-aac': 'audio/aac', 'audio/mp3': 'audio/mpeg' };

/** `type/subtype` in lower case, without parameters. Pure. */
export function baseMediaType(mimeType: string | null | undefined): string {
  return (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isAllowedMediaType(mimeType: string | null | undefined): boolean {
  const base = baseMediaType(mimeType);
  return inlineMediaTypes.has(base) || documentTypes.has(base);
}

/** Images, audio and video a page may show in place; everything else is served as an attachment. */
export function isInlineMediaType(mimeType: string | null | undefined): boolean {
  return inlineMediaTypes.has(baseMediaType(mimeType));
}

/**
 * The type to store for downloaded media, from what the bytes are (`detected`, a magic-number sniffer's answer, or
 * null when the bytes have no signature) and what the sender claimed. The detected type wins; the claim counts only
 * where the bytes cannot tell (plain text, which has no signature; a legacy Office file in its generic container;
 * audio in an MP4 container). Anything not allow-listed is `application/octet-stream`. Pure.
 */
export function storedMediaType(input: { detected: string | null; claimed: string | null | undefined; body: Uint8Array }): string {
  const claimed = baseMediaType(input.claimed);
  if (input.detected) {
    const detected = baseMediaType(input.detected);
    if (detected === 'application/x-cfb') return compoundFileTypes.has(claimed) ? claimed : octetStream;
    if (detected === 'video/mp4' && claimed === 'audio/mp4') return claimed;
    const alias = detectedAliases[detected];
    if (alias) return alias;
    // The sniffer's own spelling, parameters included (`audio/ogg; codecs=opus`).
    return isAllowedMediaType(detected) ? input.detected.toLowerCase() : octetStream;
  }
  if (claimed === 'text/plain' && looksLikePlainText(input.body)) return 'text/plain';
  return octetStream;
}

/**
 * The type the media route answers with for a stored type (rows stored before sniffing included): an allow-listed
 * type without parameters (nothing a sender wrote reaches the header), anything else `application/octet-stream`. Pure.
 */
export function servedMediaType(storedType: string | null | undefined): string {
  return isAllowedMediaType(storedType) ? baseMediaType(storedType) : octetStream;
}

/** UTF-8 text without NULs and without markup a browser would take for HTML or SVG. */
function looksLikePlainText(body: Uint8Array): boolean {
  if (body.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(0, 4096));
  } catch {
    // Truncating at 4 KiB can split a character; a file that fails for another reason is not text.
    if (body.length <= 4096) return false;
    text = new TextDecoder('utf-8').decode(body.subarray(0, 4096));
  }
  return !/^\s*<(?:!doctype|html|svg|\?xml|script|head|body)/i.test(text);
}
