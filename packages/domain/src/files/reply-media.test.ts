import { describe, expect, it } from 'vitest';
import type { ReplyPart } from '../tools/agent-tool.ts';
import { agentFileKindOf, agentFileObjectKey, isObjectStoreKey, mediaTypeOfFilename } from './agent-files.ts';
import { joinReplyParts, scanReplyText, type ReplySegment } from './reply-media.ts';

/** Resolves every reference as the composer would when everything exists: media in place, text as text. */
function compose(text: string): ReplyPart[] {
  return joinReplyParts(
    scanReplyText(text).map((segment) => {
      switch (segment.type) {
        case 'text':
          return { kind: 'text', text: segment.text };
        case 'link':
          return { kind: segment.kind, media: { url: segment.url, mimeType: segment.mimeType } };
        case 'file':
          return { kind: 'document', media: { mediaId: `files/b/${segment.title}.pdf` } };
        case 'object':
          return { kind: 'document', media: { mediaId: segment.key } };
      }
    }),
  );
}

const types = (segments: ReplySegment[]) => segments.map((segment) => segment.type);

describe('scanReplyText', () => {
  it('leaves a text without references as one text', () => {
    expect(scanReplyText('Hola, ¿en qué te ayudo?')).toEqual([{ type: 'text', text: 'Hola, ¿en qué te ayudo?' }]);
    expect(scanReplyText('')).toEqual([]);
  });

  it('finds a media URL in the middle, without the sentence punctuation after it', () => {
    const segments = scanReplyText('Aquí está el menú: https://cdn.example.com/docs/menu.pdf. ¿Algo más?');
    expect(segments).toEqual([
      { type: 'text', text: 'Aquí está el menú: ' },
      {
        type: 'link',
        url: 'https://cdn.example.com/docs/menu.pdf',
        kind: 'document',
        mimeType: 'application/pdf',
        filename: 'menu.pdf',
        source: 'https://cdn.example.com/docs/menu.pdf',
      },
      { type: 'text', text: '. ¿Algo más?' },
    ]);
  });

  it('knows images, audio, video and office documents by extension, query strings and case aside', () => {
    const kinds = scanReplyText(
      'a https://x.test/a.JPG b https://x.test/b.png?v=2 c https://x.test/c.ogg d https://x.test/d.mp4#t=1 e https://x.test/e.docx f https://x.test/f.xlsx',
    )
      .filter((segment) => segment.type === 'link')
      .map((segment) => (segment.type === 'link' ? `${segment.kind}:${segment.mimeType}` : ''));
    expect(kinds).toEqual([
      'image:image/jpeg',
      'image:image/png',
      'audio:audio/ogg',
      'video:video/mp4',
      'document:application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'document:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });

  it('keeps URLs that are not media files as text', () => {
    expect(scanReplyText('Reserva en https://example.com/book o https://example.com/menu.html.')).toEqual([
      { type: 'text', text: 'Reserva en https://example.com/book o https://example.com/menu.html.' },
    ]);
  });

  it('drops a closing parenthesis the URL does not open, keeps one it does', () => {
    const [, first] = scanReplyText('(ver https://x.test/foto.jpg)');
    expect(first).toMatchObject({ type: 'link', url: 'https://x.test/foto.jpg' });
    const [, second] = scanReplyText('see https://x.test/wiki/File_(1).png');
    expect(second).toMatchObject({ type: 'link', url: 'https://x.test/wiki/File_(1).png' });
  });

  it('reads markdown images and links to media as one reference', () => {
    expect(types(scanReplyText('Mira: ![Menú](https://x.test/menu.png) y [la carta](https://x.test/carta.pdf)!'))).toEqual([
      'text',
      'link',
      'text',
      'link',
      'text',
    ]);
    expect(scanReplyText('[web](https://x.test/about)')).toEqual([{ type: 'text', text: '[web](https://x.test/about)' }]);
  });

  it('finds library shortcodes, titles trimmed and in any language', () => {
    expect(scanReplyText('Te envío [[file: Catálogo 2025 ]] y [[FILE:Price list]]')).toEqual([
      { type: 'text', text: 'Te envío ' },
      { type: 'file', title: 'Catálogo 2025', source: '[[file: Catálogo 2025 ]]' },
      { type: 'text', text: ' y ' },
      { type: 'file', title: 'Price list', source: '[[FILE:Price list]]' },
    ]);
  });

  it('finds s3 references with bucket and key, without trailing punctuation', () => {
    expect(scanReplyText('Listo: s3://whatsapp-media/files/b1/f1.pdf.')).toEqual([
      { type: 'text', text: 'Listo: ' },
      { type: 'object', bucket: 'whatsapp-media', key: 'files/b1/f1.pdf', source: 's3://whatsapp-media/files/b1/f1.pdf' },
      { type: 'text', text: '.' },
    ]);
  });
});

describe('joinReplyParts (with scanReplyText)', () => {
  it('splits text before, media, text after, trimmed, without orphaned punctuation', () => {
    expect(compose('Aquí está el menú: https://x.test/menu.pdf. ¿Algo más?')).toEqual([
      { kind: 'text', text: 'Aquí está el menú:' },
      { kind: 'document', media: { url: 'https://x.test/menu.pdf', mimeType: 'application/pdf' } },
      { kind: 'text', text: '¿Algo más?' },
    ]);
  });

  it('sends several media in order and drops empty texts between them', () => {
    const parts = compose('[[file:Catalog]]\n\nhttps://x.test/a.jpg https://x.test/b.mp4\n');
    expect(parts.map((part) => part.kind)).toEqual(['document', 'image', 'video']);
  });

  it('media only: no text part at all', () => {
    expect(compose('  https://x.test/a.jpg  ')).toEqual([{ kind: 'image', media: { url: 'https://x.test/a.jpg', mimeType: 'image/jpeg' } }]);
  });

  it('joins the texts around a dropped reference with one space', () => {
    const pieces = scanReplyText('Te envío [[file:Nope]] el catálogo.').map((segment) =>
      segment.type === 'text' ? ({ kind: 'text', text: segment.text } as const) : null,
    );
    expect(joinReplyParts(pieces)).toEqual([{ kind: 'text', text: 'Te envío el catálogo.' }]);
  });

  it('keeps a link that could not be sent as media as plain text in place', () => {
    const pieces = scanReplyText('Menú: https://x.test/menu.pdf, gracias').map((segment) =>
      segment.type === 'text' ? ({ kind: 'text', text: segment.text } as const) : ({ kind: 'text', text: segment.source } as const),
    );
    expect(joinReplyParts(pieces)).toEqual([{ kind: 'text', text: 'Menú: https://x.test/menu.pdf, gracias' }]);
  });
});

describe('library files', () => {
  it('accepts the types WhatsApp delivers and refuses the rest', () => {
    expect(agentFileKindOf('application/pdf')).toBe('document');
    expect(agentFileKindOf('image/webp')).toBe('image');
    expect(agentFileKindOf('audio/ogg; codecs=opus')).toBe('audio');
    expect(agentFileKindOf('video/3gpp')).toBe('video');
    for (const refused of ['image/gif', 'application/zip', 'application/x-msdownload', 'text/html', 'image/svg+xml', 'application/octet-stream']) {
      expect(agentFileKindOf(refused)).toBeNull();
    }
  });

  it('keys a file under its business, named by its id', () => {
    expect(agentFileObjectKey({ businessId: 'b1', fileId: 'f1', mimeType: 'application/pdf' })).toBe('files/b1/f1.pdf');
    expect(isObjectStoreKey('files/b1/f1.pdf')).toBe(true);
    expect(isObjectStoreKey('media/b1/i1/m1.jpg')).toBe(true);
    expect(isObjectStoreKey('1234567890')).toBe(false);
  });

  it('names the type of extensions the bytes cannot tell', () => {
    expect(mediaTypeOfFilename('precios.CSV')).toBe('text/csv');
    expect(mediaTypeOfFilename('viejo.xls')).toBe('application/vnd.ms-excel');
    expect(mediaTypeOfFilename('noextension')).toBeNull();
  });
});
