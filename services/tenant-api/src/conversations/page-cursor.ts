import { AppError } from '@app/runtime/service';

/**
 * Keyset pagination: the cursor is the (time, id) of the last item served, opaque to clients. Rows with a null
 * time sort last.
 */
export interface PageCursor {
  at: string | null;
  id: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string): PageCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[1] === 'string' && /^[0-9a-f-]{36}$/i.test(decoded[1])) {
      const [at, id] = decoded as [unknown, string];
      if (at === null) return { at: null, id };
      if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return { at, id };
    }
  } catch {
    // Falls through to the validation error: a cursor that does not parse was not issued by us.
  }
  throw new AppError('VALIDATION_FAILED', 'The request query is invalid.', [
    { path: 'query.cursor', message: 'is not a cursor returned by this API' },
  ]);
}

/** Prisma `where` for "after this cursor" in (time desc nulls last, id desc) order. */
export function afterCursor(field: string, cursor: PageCursor | null, options: { nullable: boolean }) {
  if (!cursor) return {};
  if (cursor.at === null) return { [field]: null, id: { lt: cursor.id } };
  const at = new Date(cursor.at);
  const after: object[] = [{ [field]: { lt: at } }, { [field]: at, id: { lt: cursor.id } }];
  if (options.nullable) after.push({ [field]: null });
  return { OR: after };
}
