import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '@app/runtime/service';

/** One uploaded file, read whole (bounded by `maxFileBytes`), and the text fields sent with it. */
export interface MultipartUpload {
  file: { body: Buffer; filename: string; claimedType: string };
  fields: Record<string, string[]>;
}

const maxFields = 50;
const maxFieldBytes = 8 * 1024;

/**
 * Reads a `multipart/form-data` request with exactly one file part named `fileField`, streaming it and stopping at
 * `maxFileBytes` (413 without reading further). Anything else — another content type, no file, two files, too many
 * or too large fields — is a 400 that names the problem.
 */
export function readMultipartUpload(request: Request, options: { fileField: string; maxFileBytes: number }): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: 1, fileSize: options.maxFileBytes, fields: maxFields, fieldSize: maxFieldBytes, parts: maxFields + 1 },
      });
    } catch {
      reject(new AppError('VALIDATION_FAILED', 'Send the file as multipart/form-data.', { reason: 'not_multipart' }));
      return;
    }
    const fields: Record<string, string[]> = {};
    let file: MultipartUpload['file'] | null = null;
    let failure: AppError | null = null;
    const fail = (error: AppError) => {
      failure ??= error;
      // Stop reading: the client is told at once instead of after streaming the rest.
      request.unpipe(parser);
      request.resume();
      reject(failure);
    };

    parser.on('file', (name, stream, info) => {
      if (name !== options.fileField || file) {
        stream.resume();
        fail(
          new AppError('VALIDATION_FAILED', `Send exactly one file, in the field "${options.fileField}".`, {
            reason: 'unexpected_file',
            field: name,
          }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${options.maxFileBytes} bytes.`, { maxBytes: options.maxFileBytes })),
      );
      stream.on('end', () => {
        if (!failure) file = { body: Buffer.concat(chunks), filename: info.filename ?? '', claimedType: info.mimeType ?? '' };
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(
          new AppError('VALIDATION_FAILED', `The field "${name}" is longer than ${maxFieldBytes} bytes.`, { reason: 'field_too_long', field: name }),
        );
        return;
      }
      (fields[name] ??= []).push(value);
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail(new AppError('VALIDATION_FAILED', 'Too many parts in the form.', { reason: limit })));
    }
    parser.on('error', (error) =>
      fail(new AppError('VALIDATION_FAILED', 'The multipart body is malformed.', { reason: 'malformed_multipart' }, { cause: error })),
    );
    parser.on('close', () => {
      if (failure) return;
      if (!file) {
        reject(new AppError('VALIDATION_FAILED', `The form has no file in the field "${options.fileField}".`, { reason: 'no_file' }));
        return;
      }
      resolve({ file, fields });
    });
    request.pipe(parser);
  });
}
