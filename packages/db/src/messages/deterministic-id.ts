import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (SHA-256, formatted as a version-5-style UUID). Ids derived from what happened
 * (instance + provider message id, message + status) make a replayed write or a re-published event a duplicate.
 */
export function deterministicUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
