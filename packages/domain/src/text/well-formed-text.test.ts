import { describe, expect, it } from 'vitest';
import { cleanStrings, cleanText, findMalformedText } from './well-formed-text.ts';

describe('well-formed text', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps everything else, emoji included', () => {
    expect(cleanText('a\u0000b')).toBe('a\uFFFDb');
    expect(cleanText('x\uD800y\uDC00')).toBe('x\uFFFDy\uFFFD');
    expect(cleanText('hola 👋 ñ')).toBe('hola 👋 ñ');
  });

  it('cleans every string of a nested value, keys too, without touching the input', () => {
    const input = { text: 'a\u0000', list: ['\uDFFF', 3, null], nested: { 'k\u0000': true } };
    expect(cleanStrings(input)).toEqual({ text: 'a\uFFFD', list: ['\uFFFD', 3, null], nested: { 'k\uFFFD': true } });
    expect(input.text).toBe('a\u0000');
  });

  it('names the path of the first malformed string, or null', () => {
    expect(findMalformedText({ steps: [{ customer: 'ok' }, { customer: 'bad\u0000' }] })).toBe('steps.1.customer');
    expect(findMalformedText({ q: '\uD83D' })).toBe('q');
    expect(findMalformedText({ text: 'bien 😀', n: 1 })).toBeNull();
  });
});
