import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
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
    const errorId = randomUUID();
    logger.error({ event: 'http.unhandled_error', errorId, err: error }, 'unhandled error');
    response.status(500).json({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.', details: null, errorId },
    } satisfies ErrorBody);
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
