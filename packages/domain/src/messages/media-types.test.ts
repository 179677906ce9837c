import { describe, expect, it } from 'vitest';
import { isInlineMediaType, servedMediaType, storedMediaType } from './media-types.ts';

const text = (value: string) => new TextEncoder().encode(value);

describe('servedMediaType', () => {
  it('serves allow-listed types as themselves, without parameters', () => {
    expect(servedMediaType('image/png')).toBe('image/png');
    expect(servedMediaType('Audio/OGG; codecs=opus')).toBe('audio/ogg');
    expect(servedMediaType('application/pdf')).toBe('application/pdf');
  });

  it('serves anything else (rows stored before sniffing included) as application/octet-stream', () => {
    for (const stored of [
      'text/html',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/javascript',
      'image/png\r\nX-Evil: 1',
      '',
      null,
      undefined,
    ]) {
      expect(servedMediaType(stored)).toBe('application/octet-stream');
    }
  });
});

describe('storedMediaType', () => {
  it('prefers the detected type and maps the sniffer spelling of M4A audio', () => {
    expect(storedMediaType({ detected: 'image/jpeg', claimed: 'image/png', body: new Uint8Array() })).toBe('image/jpeg');
    expect(storedMediaType({ detected: 'audio/x-m4a', claimed: null, body: new Uint8Array() })).toBe('audio/mp4');
  });

  it('accepts a text/plain claim only for text that is not markup', () => {
    expect(storedMediaType({ detected: null, claimed: 'text/plain; charset=utf-8', body: text('olá\n') })).toBe('text/plain');
    expect(storedMediaType({ detected: null, claimed: 'text/plain', body: text('  <html><script>1</script>') })).toBe('application/octet-stream');
    expect(storedMediaType({ detected: null, claimed: 'text/plain', body: new Uint8Array([0x61, 0, 0x62]) })).toBe('application/octet-stream');
    expect(storedMediaType({ detected: null, claimed: 'text/plain', body: new Uint8Array([0xc3, 0x28]) })).toBe('application/octet-stream');
  });

  it('never stores a detected type that is not allow-listed', () => {
    expect(storedMediaType({ detected: 'image/svg+xml', claimed: 'image/svg+xml', body: new Uint8Array() })).toBe('application/octet-stream');
    expect(storedMediaType({ detected: 'application/x-cfb', claimed: 'text/html', body: new Uint8Array() })).toBe('application/octet-stream');
  });
});

describe('isInlineMediaType', () => {
  it('is true for images, audio and video only', () => {
    expect(isInlineMediaType('image/webp')).toBe(true);
    expect(isInlineMediaType('video/mp4')).toBe(true);
    expect(isInlineMediaType('application/pdf')).toBe(false);
    expect(isInlineMediaType('text/plain')).toBe(false);
    expect(isInlineMediaType('application/octet-stream')).toBe(false);
  });
});
