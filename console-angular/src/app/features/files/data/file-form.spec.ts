import { describe, expect, it } from 'vitest';
import { fileSize, parseKeywords } from './file-form';

describe('parseKeywords', () => {
  it('splits on commas, trims, drops empties and repeats', () => {
    expect(parseKeywords(' precio, precios ,, tarifa,precio ')).toEqual(['precio', 'precios', 'tarifa']);
    expect(parseKeywords('')).toEqual([]);
  });
});

describe('fileSize', () => {
  it('reads as bytes, kilobytes or megabytes', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(2048)).toBe('2 kB');
    expect(fileSize(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
