import { describe, expect, it } from 'vitest';
import { mediaResponseHeaders, safeFilename } from './media-response-headers.ts';

describe('mediaResponseHeaders', () => {
  it('serves audio and video in place and documents as downloads', () => {
    expect(mediaResponseHeaders({ contentType: 'audio/ogg; codecs=opus', filename: null, messageId: 'm1' })).toMatchObject({
      'Content-Type': 'audio/ogg',
      'Content-Disposition': 'inline; filename="media-m1"',
    });
    expect(mediaResponseHeaders({ contentType: 'text/plain', filename: 'notes.txt', messageId: 'm2' })).toMatchObject({
      'Content-Type': 'text/plain',
      'Content-Disposition': 'attachment; filename="notes.txt"',
    });
  });

  it('turns a dangerous or missing type into an application/octet-stream download', () => {
    for (const contentType of ['text/html', 'image/svg+xml', 'text/xml', null]) {
      expect(mediaResponseHeaders({ contentType, filename: 'x', messageId: 'm' })).toEqual({
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'attachment; filename="x"',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    }
  });
});

describe('safeFilename', () => {
  it('keeps the last path segment without control or bidi characters, quotes or leading dots', () => {
    expect(safeFilename('C:\\Users\\ana\\recibo.pdf')).toBe('recibo.pdf');
    expect(safeFilename('..\\..\\.bashrc')).toBe('bashrc');
    expect(safeFilename('a\u0000b\u202e"c".pdf')).toBe('abc.pdf');
    expect(safeFilename('  ...  ')).toBeNull();
    expect(safeFilename(null)).toBeNull();
    expect(Array.from(safeFilename(`${'ç'.repeat(300)}.pdf`)!)).toHaveLength(120);
  });
});
