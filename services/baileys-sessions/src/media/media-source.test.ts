import { readFileSync } from 'node:fs';
import { BufferJSON, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { decodeMediaSource, encodeMediaSource, mediaSourceOf } from './media-source.ts';

const fixtures = new URL('../../../../packages/testkit/fixtures/baileys/', import.meta.url).pathname;
const first = (name: string): WAMessage =>
  (JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8'), BufferJSON.reviver) as { messages: WAMessage[] }).messages[0]!;

describe('media sources', () => {
  it.each(['image', 'video', 'voice-note', 'audio-file', 'document-with-caption', 'sticker', 'view-once-image'])(
    '%s: the media part survives the text round trip the retry table uses',
    (name) => {
      const source = mediaSourceOf(first(name));
      expect(source).not.toBeNull();
      const decoded = decodeMediaSource(encodeMediaSource(source!));
      expect(decoded.key.id).toBe(source!.key.id);
      const field = Object.keys(source!.message)[0]!;
      const original = (source!.message as Record<string, { mediaKey: Uint8Array; directPath: string }>)[field]!;
      const roundTripped = (decoded.message as Record<string, { mediaKey: Uint8Array; directPath: string }>)[field]!;
      expect(Buffer.from(roundTripped.mediaKey).equals(Buffer.from(original.mediaKey))).toBe(true);
      expect(roundTripped.directPath).toBe(original.directPath);
    },
  );

  it('finds no media in texts, locations and reactions', () => {
    for (const name of ['text', 'location', 'reaction']) expect(mediaSourceOf(first(name))).toBeNull();
  });
});
