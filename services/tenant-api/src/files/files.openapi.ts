import type { RouteDoc } from '../openapi/route-doc.ts';
import { agentFileListSchema, agentFileViewSchema, fileParamsSchema, updateFileBodySchema, uploadFieldsSchema } from './files.schema.ts';

const tag = 'files';

export const fileRouteDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/files',
    tag,
    authenticated: true,
    summary: "The business's files library (what the agent can send), by order then title",
    success: { status: 200, description: 'The files.', schema: agentFileListSchema },
    errors: [401, 503],
  },
  {
    method: 'post',
    path: '/files',
    tag,
    authenticated: true,
    summary: 'Upload a file to the library (multipart/form-data)',
    description:
      'One file part named `file`, streamed up to FILES_MAX_BYTES (default 16 MB; beyond → 413 PAYLOAD_TOO_LARGE). Its type is sniffed from the bytes — the type and name the client sends count only where the bytes cannot tell (plain text, CSV, legacy Office) — and must be one WhatsApp delivers: PDF; JPEG, PNG, WebP images; OGG, MP3, M4A, AAC, AMR audio; MP4, 3GP video; DOCX, XLSX, PPTX, DOC, XLS, TXT, CSV documents. Anything else → 415 UNSUPPORTED_MEDIA_TYPE. The agent sends a file with its `send_file` tool or when its reply contains `[[file:<title>]]`.',
    multipart: { fields: uploadFieldsSchema, file: { name: 'file', description: 'The file.' } },
    success: { status: 201, description: 'The stored file.', schema: agentFileViewSchema },
    errors: [
      { status: 400, description: 'Invalid form (VALIDATION_FAILED): not multipart, no file, two files, an invalid field, an empty file.' },
      401,
      { status: 409, description: 'A file with this title exists (CONFLICT, details.reason = title_taken).' },
      413,
      415,
      503,
    ],
  },
  {
    method: 'get',
    path: '/files/:id',
    tag,
    authenticated: true,
    summary: "A library file's metadata",
    params: fileParamsSchema,
    success: { status: 200, description: 'The file.', schema: agentFileViewSchema },
    errors: [401, 404, 503],
  },
  {
    method: 'patch',
    path: '/files/:id',
    tag,
    authenticated: true,
    summary: "Change a library file's title, keywords, context, order or active switch",
    params: fileParamsSchema,
    body: updateFileBodySchema,
    success: { status: 200, description: 'The file after the change.', schema: agentFileViewSchema },
    errors: [400, 401, 404, { status: 409, description: 'A file with this title exists (CONFLICT, details.reason = title_taken).' }, 503],
  },
  {
    method: 'delete',
    path: '/files/:id',
    tag,
    authenticated: true,
    summary: 'Delete a library file and its bytes',
    params: fileParamsSchema,
    success: { status: 204, description: 'Deleted.' },
    errors: [401, 404, 503],
  },
  {
    method: 'get',
    path: '/files/:id/content',
    tag,
    authenticated: true,
    summary: "A library file's bytes",
    description:
      "Served like message media: the sniffed type (allow-listed types only), X-Content-Type-Options: nosniff, Content-Security-Policy: default-src 'none'; sandbox, inline for images, audio and video and attachment (with the file name) for everything else.",
    params: fileParamsSchema,
    success: { status: 200, description: 'The bytes.', binary: true },
    errors: [401, 404, 503],
  },
];
