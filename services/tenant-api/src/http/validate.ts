import { AppError } from '@app/runtime/service';
import type { z } from 'zod';

/** Parses request input; a failure is a 400 VALIDATION_FAILED listing each problem as {path, message}. */
export function parseInput<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'headers' = 'body',
): z.infer<TSchema> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new AppError(
    'VALIDATION_FAILED',
    `The request ${where} is invalid.`,
    result.error.issues.map((issue) => ({ path: [where, ...issue.path].join('.'), message: issue.message })),
  );
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths: something that is not a uuid cannot exist, so it is a 404 like any unknown id. */
export function resourceId(value: string | string[] | undefined, what: string): string {
  if (typeof value === 'string' && uuidPattern.test(value)) return value.toLowerCase();
  throw notFound(what);
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} not found.`);
}
