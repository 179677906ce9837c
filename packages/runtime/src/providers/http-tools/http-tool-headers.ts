import type { SecretBox } from '@app/db';

/**
 * An HTTP tool's header values at rest: one SecretBox ciphertext of the JSON object name → value, bound to the tool's
 * id (copied to another row it does not decrypt). The names are stored in the clear (HttpTool.headerNames) so the
 * API can list them without decrypting.
 */
export function sealHttpToolHeaders(box: SecretBox, toolId: string, headers: Record<string, string>): string | null {
  return Object.keys(headers).length === 0 ? null : box.encrypt(JSON.stringify(headers), `http_tool:${toolId}`);
}

export function openHttpToolHeaders(box: SecretBox, toolId: string, ciphertext: string | null): Record<string, string> {
  if (ciphertext === null) return {};
  return JSON.parse(box.decrypt(ciphertext, `http_tool:${toolId}`)) as Record<string, string>;
}
