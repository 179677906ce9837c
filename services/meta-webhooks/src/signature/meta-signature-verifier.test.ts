import { readMetaFixtureRaw, serializeLikeMeta, signMetaPayload } from '@app/testkit/meta-graph';
import { describe, expect, it } from 'vitest';
import { MetaSignatureVerifier } from './meta-signature-verifier.ts';

const secret = 'app-secret-for-tests';
const verifier = new MetaSignatureVerifier(secret);

describe('MetaSignatureVerifier', () => {
  it('accepts the signature of the exact raw bytes', () => {
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    expect(verifier.isValid(body, signMetaPayload(body, secret))).toBe(true);
    expect(verifier.isValid(body, verifier.sign(body))).toBe(true);
  });

  it('accepts a Meta-escaped non-ASCII body (\\u00e4 …, emoji as surrogate pairs)', () => {
    const raw = readMetaFixtureRaw('text-non-ascii');
    expect(raw).toContain('\\u00e4\\u00f6\\u00e5');
    expect(raw).toContain('\\ud83d\\udc4d');
    expect(verifier.isValid(Buffer.from(raw, 'utf8'), signMetaPayload(raw, secret))).toBe(true);
  });

  it('rejects the same payload once re-serialized (JSON.parse → JSON.stringify unescapes the characters)', () => {
    const raw = serializeLikeMeta({ text: { body: 'äöå Café 👍' } });
    expect(raw).toBe('{"text":{"body":"\\u00e4\\u00f6\\u00e5 Caf\\u00e9 \\ud83d\\udc4d"}}');
    const signature = signMetaPayload(raw, secret);
    const reserialized = JSON.stringify(JSON.parse(raw));
    expect(reserialized).not.toBe(raw);
    expect(verifier.isValid(Buffer.from(reserialized), signature)).toBe(false);
    expect(verifier.isValid(Buffer.from(raw), signature)).toBe(true);
  });

  it('rejects a missing, malformed, truncated or wrong-secret header', () => {
    const body = Buffer.from('{"a":1}');
    const good = signMetaPayload(body, secret);
    expect(verifier.isValid(body, undefined)).toBe(false);
    expect(verifier.isValid(body, '')).toBe(false);
    expect(verifier.isValid(body, good.slice('sha256='.length))).toBe(false);
    expect(verifier.isValid(body, good.slice(0, -2))).toBe(false);
    expect(verifier.isValid(body, `sha1=${good.slice('sha256='.length)}`)).toBe(false);
    expect(verifier.isValid(body, signMetaPayload(body, 'another-secret'))).toBe(false);
    expect(verifier.isValid(Buffer.from('{"a":2}'), good)).toBe(false);
  });

  it('accepts upper-case hex digits', () => {
    const body = Buffer.from('{"a":1}');
    const good = signMetaPayload(body, secret);
    expect(verifier.isValid(body, `sha256=${good.slice(7).toUpperCase()}`)).toBe(true);
  });

  it('refuses to run without a secret', () => {
    expect(() => new MetaSignatureVerifier('')).toThrow();
  });
});
