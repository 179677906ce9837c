import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

export interface PasswordHashParameters {
  /** Memory cost in KiB. */
  memoryKib: number;
  passes: number;
  parallelism: number;
}

export interface PasswordHasher {
  /** A self-describing PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
  hash(password: string): Promise<string>;
  /** Verifies against the parameters stored in the hash, so raising the cost later keeps old hashes valid. */
  verify(password: string, stored: string): Promise<boolean>;
  /** Spends the same time as a real verification; called when the account does not exist (no timing oracle). */
  verifyNothing(password: string): Promise<void>;
}

const tagLength = 32;
const saltLength = 16;
const phcPattern = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** argon2id from Node's own crypto (Node ≥ 24.7): memory-hard, no native addon to build. */
export function createPasswordHasher(parameters: PasswordHashParameters): PasswordHasher {
  const dummySalt = randomBytes(saltLength);
  return {
    async hash(password) {
      const salt = randomBytes(saltLength);
      const tag = await derive(password, salt, parameters);
      const { memoryKib, passes, parallelism } = parameters;
      return `$argon2id$v=19$m=${memoryKib},t=${passes},p=${parallelism}$${encode(salt)}$${encode(tag)}`;
    },
    async verify(password, stored) {
      const match = phcPattern.exec(stored);
      if (!match) return false;
      const [, memory, passes, parallelism, salt, expected] = match;
      const expectedTag = Buffer.from(expected!, 'base64');
      const tag = await derive(
        password,
        Buffer.from(salt!, 'base64'),
        {
          memoryKib: Number(memory),
          passes: Number(passes),
          parallelism: Number(parallelism),
        },
        expectedTag.length,
      );
      return tag.length === expectedTag.length && timingSafeEqual(tag, expectedTag);
    },
    async verifyNothing(password) {
      await derive(password, dummySalt, parameters);
    },
  };
}

function derive(password: string, salt: Buffer, parameters: PasswordHashParameters, length = tagLength): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: password,
        nonce: salt,
        memory: parameters.memoryKib,
        passes: parameters.passes,
        parallelism: parameters.parallelism,
        tagLength: length,
      },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** PHC strings use standard base64 without padding. */
function encode(value: Buffer): string {
  return value.toString('base64').replace(/=+$/, '');
}
