import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, SecretBoxError } from './secret-box.ts';

const keyOne = randomBytes(32);
const keyTwo = randomBytes(32);

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof SecretBoxError) return error.code;
    throw error;
  }
  return undefined;
}

describe('SecretBox', () => {
  const box = new SecretBox({ currentKeyId: 'k1', keys: { k1: keyOne } });

  it('decrypts what it encrypted, including non-ASCII text', () => {
    const secret = 'EAAG…token ñ 🔑';
    expect(box.decrypt(box.encrypt(secret))).toBe(secret);
  });

  it('writes a versioned format naming the key, and never the plaintext', () => {
    const ciphertext = box.encrypt('access-token-123');
    expect(ciphertext).toMatch(/^v1\.k1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(ciphertext).not.toContain('access-token-123');
  });

  it('uses a fresh IV each time', () => {
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('detects tampering with the ciphertext', () => {
    const [version, keyId, iv, body, tag] = box.encrypt('secret value').split('.');
    const flipped = Buffer.from(body ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = [version, keyId, iv, flipped.toString('base64url'), tag].join('.');
    expect(codeOf(() => box.decrypt(tampered))).toBe('SECRET_BOX_TAMPERED');
  });

  it('binds a ciphertext to its associated data (the row it belongs to)', () => {
    const ciphertext = box.encrypt('secret', 'instance-a');
    expect(box.decrypt(ciphertext, 'instance-a')).toBe('secret');
    expect(codeOf(() => box.decrypt(ciphertext, 'instance-b'))).toBe('SECRET_BOX_TAMPERED');
  });

  it('refuses a ciphertext whose key id was swapped for another configured key', () => {
    const both = new SecretBox({ currentKeyId: 'k1', keys: { k1: keyOne, k2: keyOne } });
    const swapped = both.encrypt('secret').replace(/^v1\.k1\./, 'v1.k2.');
    expect(codeOf(() => both.decrypt(swapped))).toBe('SECRET_BOX_TAMPERED');
  });

  it('rejects malformed input and unknown keys with distinct codes', () => {
    expect(codeOf(() => box.decrypt('plain text'))).toBe('SECRET_BOX_MALFORMED');
    expect(codeOf(() => box.decrypt('v2.k1.a.b.c'))).toBe('SECRET_BOX_MALFORMED');
    const other = new SecretBox({ currentKeyId: 'k9', keys: { k9: keyTwo } });
    expect(codeOf(() => box.decrypt(other.encrypt('x')))).toBe('SECRET_BOX_UNKNOWN_KEY');
  });

  it('rotates keys: old ciphertexts still decrypt and are flagged for re-encryption', () => {
    const old = box.encrypt('rotate me');
    const rotated = new SecretBox({ currentKeyId: 'k2', keys: { k2: keyTwo, k1: keyOne } });

    expect(rotated.decrypt(old)).toBe('rotate me');
    expect(rotated.needsReencryption(old)).toBe(true);
    const renewed = rotated.encrypt(rotated.decrypt(old));
    expect(rotated.needsReencryption(renewed)).toBe(false);
    expect(renewed.startsWith('v1.k2.')).toBe(true);
  });

  it('refuses keys that are not 32 bytes, bad key ids and a missing current key', () => {
    expect(codeOf(() => new SecretBox({ currentKeyId: 'k1', keys: { k1: randomBytes(16) } }))).toBe('SECRET_BOX_INVALID_KEY');
    expect(codeOf(() => new SecretBox({ currentKeyId: 'k.1', keys: { 'k.1': keyOne } }))).toBe('SECRET_BOX_INVALID_KEY');
    expect(codeOf(() => new SecretBox({ currentKeyId: 'k2', keys: { k1: keyOne } }))).toBe('SECRET_BOX_INVALID_KEY');
  });

  it('reads a key list from configuration, the first key being current', () => {
    const fromConfig = SecretBox.fromKeyList(`k2:${keyTwo.toString('base64')}, k1:${keyOne.toString('base64')}`);
    expect(fromConfig.decrypt(box.encrypt('from k1'))).toBe('from k1');
    expect(fromConfig.encrypt('new').startsWith('v1.k2.')).toBe(true);
    expect(codeOf(() => SecretBox.fromKeyList(''))).toBe('SECRET_BOX_INVALID_KEY');
    expect(codeOf(() => SecretBox.fromKeyList('no-separator'))).toBe('SECRET_BOX_INVALID_KEY');
  });

  it('reads CREDENTIALS_KEY as a single base64 key or as a rotation list', () => {
    const single = SecretBox.fromCredentialsKey(keyOne.toString('base64'));
    expect(single.encrypt('plain').startsWith('v1.default.')).toBe(true);
    const rotated = SecretBox.fromCredentialsKey(`k2:${keyTwo.toString('base64')},default:${keyOne.toString('base64')}`);
    expect(rotated.decrypt(single.encrypt('still readable'))).toBe('still readable');
    expect(codeOf(() => SecretBox.fromCredentialsKey('c2hvcnQ='))).toBe('SECRET_BOX_INVALID_KEY');
  });
});
