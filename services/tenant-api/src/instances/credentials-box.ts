import type { SecretBox } from '@app/db';

/** What is encrypted: a JSON object, so a provider can keep more than one secret. */
export interface InstanceCredentials {
  accessToken?: string;
}

export function sealCredentials(box: SecretBox, instanceId: string, credentials: InstanceCredentials): string {
  return box.encrypt(JSON.stringify(credentials), instanceId);
}
