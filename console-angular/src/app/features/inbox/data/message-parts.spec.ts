import { describe, expect, it } from 'vitest';
import { byteSize, messagePart, replyTarget } from './message-parts';

describe('messagePart', () => {
  it('reads media, voice notes and download states defensively', () => {
    expect(
      messagePart({
        kind: 'audio',
        text: null,
        content: { kind: 'audio', voice: true, media: { mimeType: 'audio/ogg', size: 2048, download: { state: 'stored', attempts: 1 } } },
      }),
    ).toEqual({
      kind: 'audio',
      voice: true,
      media: { caption: null, filename: null, mimeType: 'audio/ogg', size: 2048, state: 'stored', url: null },
    });
    expect(messagePart({ kind: 'document', text: null, content: null })).toEqual({
      kind: 'document',
      media: { caption: null, filename: null, mimeType: null, size: null, state: 'remote', url: null },
    });
  });

  it('keeps an https link of media the agent sent by URL, and no other scheme', () => {
    const link = messagePart({
      kind: 'image',
      text: null,
      content: { kind: 'image', media: { url: 'https://cdn.example.com/a.jpg', mimeType: 'image/jpeg' } },
    });
    expect(link).toMatchObject({ media: { state: 'link', url: 'https://cdn.example.com/a.jpg' } });
    const script = messagePart({ kind: 'image', text: null, content: { kind: 'image', media: { url: 'javascript:alert(1)' } } });
    expect(script).toMatchObject({ media: { state: 'remote', url: null } });
  });

  it('prefers an https map link the provider sent and falls back to text for kinds it does not draw', () => {
    const part = messagePart({ kind: 'location', text: null, content: { latitude: 1, longitude: 2, url: 'https://maps.example/x' } });
    expect(part).toMatchObject({ kind: 'location', mapUrl: 'https://maps.example/x' });
    expect(messagePart({ kind: 'location', text: null, content: { latitude: 1, longitude: 2, url: 'javascript:alert(1)' } })).toMatchObject({
      mapUrl: expect.stringContaining('openstreetmap.org'),
    });
    expect(messagePart({ kind: 'reaction', text: '[reaction 👍]', content: {} })).toEqual({ kind: 'other', text: '[reaction 👍]' });
  });

  it('finds the quoted message id and formats sizes', () => {
    expect(replyTarget({ content: { context: { providerMessageId: 'wamid.9' } } })).toBe('wamid.9');
    expect(replyTarget({ content: { kind: 'text' } })).toBeNull();
    expect([byteSize(900), byteSize(2048), byteSize(3 * 1024 * 1024)]).toEqual(['900 B', '2 kB', '3.0 MB']);
  });
});
