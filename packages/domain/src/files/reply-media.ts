import type { ReplyPart } from '../tools/agent-tool.ts';
import type { AgentFileKind } from './agent-files.ts';

/**
 * One piece of a model's final text, in order: plain text, or a reference to media that should go as its own
 * message — a link to a media file (by extension), a library shortcode `[[file:<title>]]`, or an object-store
 * reference `s3://<bucket>/<key>`. Whether a reference can be sent is decided by the adapter that resolves it.
 */
export type ReplySegment =
  | { type: 'text'; text: string }
  | { type: 'link'; url: string; kind: AgentFileKind; mimeType: string; filename: string; source: string }
  | { type: 'file'; title: string; source: string }
  | { type: 'object'; bucket: string; key: string; source: string };

/** Link extensions that make a URL a media message, and what it is sent as. */
const linkTypes: Record<string, { kind: AgentFileKind; mimeType: string }> = {
  jpg: { kind: 'image', mimeType: 'image/jpeg' },
  jpeg: { kind: 'image', mimeType: 'image/jpeg' },
  png: { kind: 'image', mimeType: 'image/png' },
  webp: { kind: 'image', mimeType: 'image/webp' },
  mp3: { kind: 'audio', mimeType: 'audio/mpeg' },
  ogg: { kind: 'audio', mimeType: 'audio/ogg' },
  opus: { kind: 'audio', mimeType: 'audio/ogg' },
  m4a: { kind: 'audio', mimeType: 'audio/mp4' },
  aac: { kind: 'audio', mimeType: 'audio/aac' },
  amr: { kind: 'audio', mimeType: 'audio/amr' },
  mp4: { kind: 'video', mimeType: 'video/mp4' },
  '3gp': { kind: 'video', mimeType: 'video/3gpp' },
  pdf: { kind: 'document', mimeType: 'application/pdf' },
  doc: { kind: 'document', mimeType: 'application/msword' },
  docx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xls: { kind: 'document', mimeType: 'application/vnd.ms-excel' },
  xlsx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ppt: { kind: 'document', mimeType: 'application/vnd.ms-powerpoint' },
  pptx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  txt: { kind: 'document', mimeType: 'text/plain' },
  csv: { kind: 'document', mimeType: 'text/csv' },
};

// Alternatives, in this order: a shortcode, a markdown link or image around a URL, an s3:// reference, a bare URL.
const referencePattern =
  /\[\[\s*file\s*:\s*([^\]\n]+?)\s*\]\]|!?\[([^\]\n]*)\]\(\s*(https?:\/\/[^\s)]+)\s*\)|s3:\/\/([a-z0-9][a-z0-9.-]{1,62})\/([^\s<>"'`]+)|https?:\/\/[^\s<>"'`]+/gi;

/** Sentence punctuation a URL in prose is followed by, never the URL's own last character. */
const trailingPunctuation = /[.,;:!?'"»”’…*_]+$/;

/**
 * Splits a model's final text into text and media references, in order. Trailing punctuation is not part of a URL,
 * nor is a closing parenthesis it does not open; a markdown link `[label](url)` or image `![alt](url)` to a media
 * file is one reference. A URL that is not a media file stays text. Pure.
 */
export function scanReplyText(text: string): ReplySegment[] {
  const segments: ReplySegment[] = [];
  let textStart = 0;
  const pushText = (end: number) => {
    if (end > textStart) segments.push({ type: 'text', text: text.slice(textStart, end) });
  };
  for (const match of text.matchAll(referencePattern)) {
    const start = match.index;
    const [whole, title, , markdownUrl, bucket, objectPath] = match;
    let segment: ReplySegment | null = null;
    let end = start + whole.length;
    if (title !== undefined) {
      segment = { type: 'file', title, source: whole };
    } else if (markdownUrl !== undefined) {
      const link = mediaLink(markdownUrl);
      if (link) segment = { type: 'link', ...link, source: whole };
    } else if (bucket !== undefined && objectPath !== undefined) {
      const key = trimUrl(objectPath);
      end = start + 's3://'.length + bucket.length + 1 + key.length;
      if (key) segment = { type: 'object', bucket, key, source: text.slice(start, end) };
    } else {
      const url = trimUrl(whole);
      end = start + url.length;
      const link = mediaLink(url);
      if (link) segment = { type: 'link', ...link, source: url };
    }
    if (!segment) continue;
    pushText(start);
    segments.push(segment);
    textStart = end;
  }
  pushText(text.length);
  return segments;
}

/**
 * The messages to send, from resolved pieces in order (null: a reference dropped): neighbouring text joined, each text trimmed, punctuation left
 * orphaned at the start of a text after a removed reference dropped (`…menu.pdf. Anything else?`), empty texts
 * dropped. Pure.
 */
export function joinReplyParts(pieces: Array<ReplyPart | null>): ReplyPart[] {
  const parts: ReplyPart[] = [];
  let pendingText: string | null = null;
  let afterMedia = false;
  const flushText = () => {
    if (pendingText === null) return;
    let text = pendingText;
    if (afterMedia) text = text.replace(/^[\s.,;:!?)\]]+(?=\s|$)/, '');
    // Where a reference was dropped, the spaces on both sides meet: one is enough.
    text = text
      .replace(/[ \t]{2,}/g, ' ')
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (text) parts.push({ kind: 'text', text });
    pendingText = null;
  };
  for (const piece of pieces) {
    if (!piece) continue;
    if (piece.kind === 'text') {
      pendingText = (pendingText ?? '') + piece.text;
      continue;
    }
    flushText();
    parts.push(piece);
    afterMedia = true;
  }
  flushText();
  return parts;
}

function trimUrl(url: string): string {
  let trimmed = url.replace(trailingPunctuation, '');
  // A closing bracket belongs to the URL only when the URL opens one (Wikipedia-style paths do).
  while (/[)\]]$/.test(trimmed)) {
    const close = trimmed.endsWith(')') ? ')' : ']';
    const open = close === ')' ? '(' : '[';
    if (count(trimmed, open) >= count(trimmed, close)) break;
    trimmed = trimmed.slice(0, -1).replace(trailingPunctuation, '');
  }
  return trimmed;
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** A URL whose path ends in a media extension, with what it is sent as; null for any other URL. */
function mediaLink(url: string): { url: string; kind: AgentFileKind; mimeType: string; filename: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const lastSegment = decodeSegment(parsed.pathname.split('/').pop() ?? '');
  const extension = /\.([a-z0-9]{2,4})$/i.exec(lastSegment)?.[1]?.toLowerCase();
  const type = extension ? linkTypes[extension] : undefined;
  return type ? { url, ...type, filename: lastSegment } : null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
