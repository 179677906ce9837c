/**
 * The first bytes of real files of each type WhatsApp carries: enough for a magic-number sniffer (file-type) to know
 * them, as a downloaded file would be. Plus what an attacker sends instead: HTML and SVG with script.
 */
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

const zeros = (count: number) => new Array<number>(count).fill(0);

/** An ISO base media file (MP4 family) whose `ftyp` box names the brand. */
const isoMedia = (brand: string) => bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 0, 0], brand, 'isom', zeros(16));

export const mediaSamples = {
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0], zeros(32)),
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0], zeros(16)),
  webp: bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ', [0x18, 0, 0, 0], zeros(32)),
  mp4: isoMedia('isom'),
  m4a: isoMedia('M4A '),
  threeGpp: isoMedia('3gp4'),
  oggOpus: bytes('OggS', [0, 2], zeros(20), [1, 19], 'OpusHead', [1, 1, 0x38, 1, 0x80, 0xbb, 0, 0, 0, 0, 0], zeros(16)),
  mp3: bytes('ID3', [3, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64], zeros(64)),
  pdf: bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'),
  text: Buffer.from('Pedido 42: 3 pães, 1 bolo\n', 'utf8'),
  html: Buffer.from('<!doctype html><script>fetch("/api/auth/me")</script>', 'utf8'),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>', 'utf8'),
  /** A legacy Office file's container (Compound File Binary): the bytes do not say Word, Excel or PowerPoint. */
  compoundFile: bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], zeros(512)),
  elf: bytes([0x7f], 'ELF', [2, 1, 1, 0], zeros(56)),
} as const;
