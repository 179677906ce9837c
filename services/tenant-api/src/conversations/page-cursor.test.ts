import { describe, expect, it } from 'vitest';
import { AppError } from '@app/runtime/service';
import { afterCursor, decodeCursor, encodeCursor } from './page-cursor.ts';

const id = '0b6f3e1c-2b7a-4a59-9b64-1f0d3f7e9a10';

describe('page cursor', () => {
  it('round-trips a time and id, and a null time', () => {
    expect(decodeCursor(encodeCursor({ at: '2026-01-02T03:04:05.000Z', id }))).toEqual({ at: '2026-01-02T03:04:05.000Z', id });
    expect(decodeCursor(encodeCursor({ at: null, id }))).toEqual({ at: null, id });
  });

  it.each(['', 'not-base64!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["yesterday","x"]').toString('base64url')])(
    'refuses %j as a validation error',
    (value) => {
      expect(() => decodeCursor(value)).toThrow(AppError);
    },
  );

  it('pages after the cursor in descending order with nulls last', () => {
    const nullable = { nullable: true };
    expect(afterCursor('lastMessageAt', null, nullable)).toEqual({});
    expect(afterCursor('lastMessageAt', { at: null, id }, nullable)).toEqual({ lastMessageAt: null, id: { lt: id } });
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(afterCursor('lastMessageAt', { at: at.toISOString(), id }, nullable)).toEqual({
      OR: [{ lastMessageAt: { lt: at } }, { lastMessageAt: at, id: { lt: id } }, { lastMessageAt: null }],
    });
    expect(afterCursor('sentAt', { at: at.toISOString(), id }, { nullable: false })).toEqual({
      OR: [{ sentAt: { lt: at } }, { sentAt: at, id: { lt: id } }],
    });
  });
});
