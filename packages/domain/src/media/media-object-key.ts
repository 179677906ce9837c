const extensions: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/**
 * Where an inbound media file lives in the object store: under its business and instance (one prefix per tenant),
 * named by the message id, so a retried download overwrites the same object instead of adding another. Pure.
 */
export function inboundMediaKey(input: { businessId: string; instanceId: string; messageId: string; mimeType?: string | null }): string {
  const base = (input.mimeType ?? '').split(';')[0]!.trim().toLowerCase();
  const extension = extensions[base];
  return `media/${input.businessId}/${input.instanceId}/${input.messageId}${extension ? `.${extension}` : ''}`;
}
