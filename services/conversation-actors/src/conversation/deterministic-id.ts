import { createHash } from 'node:crypto';

// A fixed namespace for this service's name-based uuids (RFC 9562 §5.5, version 5: SHA-1 of namespace + name).
const NAMESPACE = Buffer.from('5c7f1c2e9a8b4d3e8f60a1b2c3d4e5f6', 'hex');

/**
 * A uuid derived from a name: the same burst always gets the same buffer id, and a re-published event the same
 * event id, so a flush that runs twice (reminders fire at least once) creates duplicates, never new work.
 */
export function deterministicUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function bufferIdFor(actorId: string, firstMessageId: string): string {
  return deterministicUuid(`buffer:${actorId}:${firstMessageId}`);
}
