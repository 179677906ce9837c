import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type SecretBoxErrorCode =
  /** The key configuration is unusable (wrong length, bad id, no current key). */
  | 'SECRET_BOX_INVALID_KEY'
  /** The ciphertext is not in a format this box writes. */
  | 'SECRET_BOX_MALFORMED'
  /** Encrypted with a key id this box does not hold (rotated out too early?). */
  | 'SECRET_BOX_UNKNOWN_KEY'
  /** Authentication failed: wrong key, wrong associated data, or tampered ciphertext. */
  | 'SECRET_BOX_TAMPERED';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';

  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretBoxKeys {
  /** Id of the key new secrets are encrypted with. */
  currentKeyId: string;
  /** Every key that may still be needed to decrypt, by id: 32 bytes each. */
  keys: Record<string, Uint8Array>;
}

const formatVersion = 'v1';
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const ivBytes = 12;
const tagBytes = 16;

/**
 * Secrets at rest (Instance.encryptedCredentials): AES-256-GCM with a random 96-bit IV per message.
 * Ciphertext format `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): the key id lets keys rotate: add a
 * new current key, keep the old one for decryption, re-encrypt what `needsReencryption` names, then drop it.
 * `associatedData` (e.g. the instance id) binds a ciphertext to its row: copied to another row it will not decrypt.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(private readonly config: SecretBoxKeys) {
    this.keys = new Map();
    for (const [id, key] of Object.entries(config.keys)) {
      if (!keyIdPattern.test(id)) throw new SecretBoxError('SECRET_BOX_INVALID_KEY', `Key id "${id}" must match ${keyIdPattern}.`);
      if (key.length !== 32) throw new SecretBoxError('SECRET_BOX_INVALID_KEY', `Key "${id}" must be 32 bytes, not ${key.length}.`);
      this.keys.set(id, Buffer.from(key));
    }
    if (!this.keys.has(config.currentKeyId)) {
      throw new SecretBoxError('SECRET_BOX_INVALID_KEY', `The current key "${config.currentKeyId}" is not among the keys.`);
    }
  }

  /**
   * Reads the CREDENTIALS_KEY setting: one 32-byte base64 key (key id "default"), or a rotation list
   * `id:base64key[,id:base64key…]` whose first entry is current. Base64 has no ':', so the two cannot be confused.
   */
  static fromCredentialsKey(credentialsKey: string): SecretBox {
    return SecretBox.fromKeyList(credentialsKey.includes(':') ? credentialsKey : `default:${credentialsKey}`);
  }

  /**
   * Parses a key list as a config value holds it: `id:base64key[,id:base64key…]`, the first being current.
   * Generate a key with `openssl rand -base64 32`.
   */
  static fromKeyList(keyList: string): SecretBox {
    const entries = keyList
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const keys: Record<string, Uint8Array> = {};
    for (const entry of entries) {
      const separator = entry.indexOf(':');
      if (separator <= 0) throw new SecretBoxError('SECRET_BOX_INVALID_KEY', 'Each key must be written as id:base64key.');
      keys[entry.slice(0, separator)] = Buffer.from(entry.slice(separator + 1), 'base64');
    }
    const current = entries[0]?.slice(0, entries[0].indexOf(':'));
    if (!current) throw new SecretBoxError('SECRET_BOX_INVALID_KEY', 'No key given.');
    return new SecretBox({ currentKeyId: current, keys });
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const keyId = this.config.currentKeyId;
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv, { authTagLength: tagBytes });
    cipher.setAAD(additionalData(keyId, associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [formatVersion, keyId, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(ciphertext: string, associatedData = ''): string {
    const { keyId, iv, body, tag } = parse(ciphertext);
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), iv, { authTagLength: tagBytes });
    decipher.setAAD(additionalData(keyId, associatedData));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      // Node reports every authentication failure the same way; the cause is one of the three named below.
      throw new SecretBoxError('SECRET_BOX_TAMPERED', 'Cannot decrypt: wrong key, wrong associated data, or tampered ciphertext.');
    }
  }

  /** True when the ciphertext was written with a key other than the current one (rotate it). */
  needsReencryption(ciphertext: string): boolean {
    return parse(ciphertext).keyId !== this.config.currentKeyId;
  }

  private key(keyId: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError('SECRET_BOX_UNKNOWN_KEY', `Encrypted with key "${keyId}", which is not configured.`);
    return key;
  }
}

// The version and key id are authenticated too, so they cannot be swapped to steer decryption.
function additionalData(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${formatVersion}.${keyId}.${associatedData}`, 'utf8');
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; body: Buffer; tag: Buffer } {
  const parts = ciphertext.split('.');
  const [version, keyId, iv, body, tag] = parts;
  if (parts.length !== 5 || version !== formatVersion || !keyId || iv === undefined || body === undefined || tag === undefined) {
    throw new SecretBoxError('SECRET_BOX_MALFORMED', 'Not a secret-box ciphertext (expected v1.<keyId>.<iv>.<data>.<tag>).');
  }
  const decoded = { keyId, iv: Buffer.from(iv, 'base64url'), body: Buffer.from(body, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (decoded.iv.length !== ivBytes || decoded.tag.length !== tagBytes) {
    throw new SecretBoxError('SECRET_BOX_MALFORMED', 'Ciphertext has a wrong IV or tag length.');
  }
  return decoded;
}
