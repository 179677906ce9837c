import { mediaSamples } from '@app/testkit';
import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff-media-type.ts';

describe('sniffMediaType (file-type magic numbers + the allow-list)', () => {
  it.each([
    ['jpeg', 'image/jpeg', 'image/jpeg'],
    ['png', 'image/png', 'image/png'],
    ['webp', 'image/webp', 'image/webp'],
    ['mp4', 'video/mp4', 'video/mp4'],
    ['threeGpp', 'video/3gpp', 'video/3gpp'],
    ['oggOpus', 'audio/ogg; codecs=opus', 'audio/ogg; codecs=opus'],
    ['mp3', 'audio/mpeg', 'audio/mpeg'],
    ['m4a', 'audio/mp4', 'audio/mp4'],
    ['pdf', 'application/pdf', 'application/pdf'],
    ['text', 'text/plain', 'text/plain'],
    ['compoundFile', 'application/msword', 'application/msword'],
  ] as const)('%s claimed as %s is stored as %s', async (sample, claimed, stored) => {
    expect(await sniffMediaType(mediaSamples[sample], claimed)).toEqual({ mimeType: stored, mismatch: false });
  });

  it('stores what the bytes are when the claim differs: a JPEG claimed as a PDF is a JPEG, audio in MP4 stays audio', async () => {
    expect(await sniffMediaType(mediaSamples.jpeg, 'application/pdf')).toEqual({ mimeType: 'image/jpeg', mismatch: true });
    expect(await sniffMediaType(mediaSamples.mp4, 'audio/mp4')).toEqual({ mimeType: 'audio/mp4', mismatch: false });
  });

  it.each([
    ['html', 'text/html'],
    ['html', 'image/png'],
    ['svg', 'image/svg+xml'],
    ['svg', 'image/png'],
    ['html', 'text/plain'],
    ['svg', 'text/plain'],
    ['elf', 'application/pdf'],
    ['compoundFile', 'text/html'],
    ['text', 'application/javascript'],
  ] as const)('never stores %s claimed as %s as anything but application/octet-stream', async (sample, claimed) => {
    expect(await sniffMediaType(mediaSamples[sample], claimed)).toEqual({ mimeType: 'application/octet-stream', mismatch: true });
  });

  it('stores bytes without a signature and without a claim as application/octet-stream', async () => {
    expect((await sniffMediaType(Buffer.from([1, 2, 3]), null)).mimeType).toBe('application/octet-stream');
    expect((await sniffMediaType(Buffer.alloc(0), 'image/jpeg')).mimeType).toBe('application/octet-stream');
  });
});
