import { baseMediaType } from '../messages/media-types.ts';

/** The WhatsApp message kind a library file is sent as. */
export type AgentFileKind = 'image' | 'audio' | 'video' | 'document';

/**
 * What the files library accepts, by sniffed type: what WhatsApp delivers as a media message on every provider.
 * GIF, ZIP, SVG, HTML and executables are refused (415) — a customer could not open them, or they could run.
 */
const uploadKinds: Record<string, AgentFileKind> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'audio/ogg': 'audio',
  'audio/mpeg': 'audio',
  'audio/mp4': 'audio',
  'audio/aac': 'audio',
  'audio/amr': 'audio',
  'video/mp4': 'video',
  'video/3gpp': 'video',
  'application/pdf': 'document',
  'text/plain': 'document',
  'text/csv': 'document',
  'application/msword': 'document',
  'application/vnd.ms-excel': 'document',
  'application/vnd.ms-powerpoint': 'document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'document',
};

/** The kind a sniffed type is sent as, or null when the library refuses the type. Pure. */
export function agentFileKindOf(mimeType: string | null | undefined): AgentFileKind | null {
  return uploadKinds[baseMediaType(mimeType)] ?? null;
}

export const agentFileUploadTypes: readonly string[] = Object.keys(uploadKinds);

const extensions: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** The type a file name's extension stands for (only where the bytes cannot tell: text, CSV, legacy Office). Pure. */
export function mediaTypeOfFilename(filename: string | null | undefined): string | null {
  const extension = /\.([a-z0-9]{1,5})$/i.exec(filename ?? '')?.[1]?.toLowerCase();
  if (!extension) return null;
  return Object.entries(extensions).find(([, candidate]) => candidate === extension)?.[0] ?? null;
}

/** Where a library file's bytes live: under its business's prefix, named by the file's id. Pure. */
export function agentFileObjectKey(input: { businessId: string; fileId: string; mimeType: string }): string {
  const extension = extensions[baseMediaType(input.mimeType)];
  return `${agentFilesPrefix(input.businessId)}${input.fileId}${extension ? `.${extension}` : ''}`;
}

/** Every library file of one business lives under this prefix (an `s3://` reference outside it is not the business's). */
export function agentFilesPrefix(businessId: string): string {
  return `files/${businessId}/`;
}

/**
 * Whether an outbound message's `media.mediaId` is an object-store key the platform put there (a library file or a
 * stored download), as opposed to a provider's own media id (Cloud API ids are digits). Pure.
 */
export function isObjectStoreKey(mediaId: string | null | undefined): boolean {
  return typeof mediaId === 'string' && /^(files|media)\/[^/]+\//.test(mediaId);
}
