import { baseMediaType, storedMediaType } from '@app/domain';
import { fileTypeFromBuffer } from 'file-type';

/**
 * The type to store for a downloaded file: what its bytes are (file-type's magic numbers), never what the sender
 * claimed when the two differ; anything outside the allow-list is `application/octet-stream` (see `storedMediaType`).
 */
export async function sniffMediaType(body: Buffer, claimed: string | null | undefined): Promise<{ mimeType: string; mismatch: boolean }> {
  const detected = await fileTypeFromBuffer(body);
  const mimeType = storedMediaType({ detected: detected?.mime ?? null, claimed, body });
  return { mimeType, mismatch: baseMediaType(mimeType) !== baseMediaType(claimed) };
}
