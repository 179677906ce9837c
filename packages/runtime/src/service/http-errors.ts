import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { findMalformedText } from '@app/domain';
import { ZodError } from 'zod';
import { AppError, httpStatusByCode } from './app-error.ts';

export interface ErrorBody {
  error: { code: string; message: string; details: unknown; errorId?: string };
}

/** Maps any error to `{ error: { code, message, details } }`; a 500 carries an errorId that is also logged. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, next) => {
    if (response.headersSent) return next(error);
    if (error instanceof AppError) {
      response.status(httpStatusByCode[error.code]).json({
        error: { code: error.code, message: error.message, details: error.details },
      } satisfies ErrorBody);
      return;
    }
    if (error instanceof ZodError) {
      response.status(400).json({
        error: { code: 'VALIDATION_FAILED', message: 'The request is invalid.', details: error.issues.map(describeIssue) },
      } satisfies ErrorBody);
      return;
    }
    const bodyParserError = error as { type?: string; status?: number };
    if (bodyParserError.type === 'entity.parse.failed') {
      response.status(400).json({
        error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.', details: null },
      } satisfies ErrorBody);
      return;
    }
    if (bodyParserError.type === 'entity.too.large') {
      response.status(413).json({
        error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.', details: null },
      } satisfies ErrorBody);
      return;
    }
    const unreadable = unreadableBody(error);
    if (unreadable) {
      response.status(unreadable.status).json({ error: { ...unreadable.error, details: null } } satisfies ErrorBody);
      return;
    }
    const errorId = randomUUID();
    logger.error({ event: 'http.unhandled_error', errorId, err: error }, 'unhandled error');
    response.status(500).json({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.', details: null, errorId },
    } satisfies ErrorBody);
  };
}

/**
 * The body parser's other refusals (an unknown or broken Content-Encoding, a charset it cannot decode, a body cut
 * short): the client's fault, so a 4xx that says what was wrong, never a 500.
 */
function unreadableBody(error: unknown): { status: number; error: { code: string; message: string } } | null {
  const { type, status, expose } = error as { type?: unknown; status?: unknown; expose?: unknown };
  // http-errors marks what a client caused as `expose` (a broken gzip stream arrives as zlib's error, marked so).
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return null;
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return {
      status: 415,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body uses an encoding or charset this API does not accept.' },
    };
  }
  return { status: 400, error: { code: 'VALIDATION_FAILED', message: 'The request body could not be read.' } };
}

/**
 * Refuses request input PostgreSQL cannot store (NUL, lone surrogates) with a 400 naming the field, before any
 * handler runs: otherwise the write fails deep inside and the client gets a 500.
 */
export function rejectMalformedText(): RequestHandler {
  return (request, _response, next) => {
    for (const [where, value] of [
      ['body', request.body],
      ['query', request.query],
      ['params', request.params],
    ] as const) {
      const path = findMalformedText(value);
      if (path !== null) {
        next(
          new AppError('VALIDATION_FAILED', `The request ${where} is invalid.`, [
            { path: [where, path].filter(Boolean).join('.'), message: 'contains a NUL character or a broken surrogate pair' },
          ]),
        );
        return;
      }
    }
    next();
  };
}

export const notFoundHandler: RequestHandler = (request, response) => {
  response.status(404).json({
    error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.path}.`, details: null },
  } satisfies ErrorBody);
};

function describeIssue(issue: ZodError['issues'][number]) {
  return { path: issue.path.join('.'), message: issue.message };
}
