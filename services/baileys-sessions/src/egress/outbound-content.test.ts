import { describe, expect, it } from 'vitest';
import { toBaileysContent } from './outbound-content.ts';

describe('toBaileysContent', () => {
  it('sends text, quoting the message it answers', () => {
    expect(
      toBaileysContent({
        kind: 'text',
        text: 'Abrimos às 8h.',
        content: { kind: 'text', text: 'Abrimos às 8h.', context: { providerMessageId: '3EB0X' } },
      }),
    ).toEqual({
      content: { text: 'Abrimos às 8h.' },
      quotedProviderMessageId: '3EB0X',
      textLength: 14,
      objectKey: null,
    });
  });

  it('sends media by URL or by object-store key, voice notes as ptt Ogg/Opus, documents with a file name', () => {
    expect(
      toBaileysContent({ kind: 'image', text: null, content: { media: { url: 'https://cdn.example/p.jpg', caption: 'cardápio' } } }),
    ).toMatchObject({
      content: { image: { url: 'https://cdn.example/p.jpg' }, caption: 'cardápio' },
      objectKey: null,
    });
    expect(toBaileysContent({ kind: 'audio', text: null, content: { media: { mediaId: 'media/b1/voice.ogg' }, voice: true } })).toMatchObject({
      content: { audio: { url: 'object:media/b1/voice.ogg' }, ptt: true, mimetype: 'audio/ogg; codecs=opus' },
      objectKey: 'media/b1/voice.ogg',
    });
    expect(
      toBaileysContent({
        kind: 'document',
        text: null,
        content: { media: { url: 'https://x/o.pdf', filename: 'orcamento.pdf', mimeType: 'application/pdf' } },
      }),
    ).toMatchObject({
      content: { document: { url: 'https://x/o.pdf' }, fileName: 'orcamento.pdf', mimetype: 'application/pdf' },
    });
  });

  it('sends a library file (its object key, stored) with its type and file name', () => {
    const media = {
      mediaId: 'files/b1/f1.pdf',
      mimeType: 'application/pdf',
      filename: 'Catálogo.pdf',
      size: 1200,
      caption: 'Nuestro catálogo',
      download: { state: 'stored', attempts: 0 },
    };
    expect(toBaileysContent({ kind: 'document', text: null, content: { kind: 'document', media } })).toMatchObject({
      content: { document: { url: 'object:files/b1/f1.pdf' }, mimetype: 'application/pdf', fileName: 'Catálogo.pdf', caption: 'Nuestro catálogo' },
      objectKey: 'files/b1/f1.pdf',
    });
  });

  it('sends locations and refuses what a session cannot send', () => {
    expect(toBaileysContent({ kind: 'location', text: null, content: { latitude: -23.5, longitude: -46.6, name: 'Loja' } })?.content).toEqual({
      location: { degreesLatitude: -23.5, degreesLongitude: -46.6, name: 'Loja' },
    });
    expect(toBaileysContent({ kind: 'text', text: null, content: {} })).toBeNull();
    expect(toBaileysContent({ kind: 'image', text: null, content: { media: {} } })).toBeNull();
    expect(toBaileysContent({ kind: 'order', text: null, content: {} })).toBeNull();
  });
});
