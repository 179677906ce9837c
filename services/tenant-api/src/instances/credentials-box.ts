import { SecretBox } from '@app/db';

/**
 * CREDENTIALS_KEY is either one 32-byte base64 key (used as key id "default"), or a rotation list
 * `id:base64key[,id:base64key…]` whose first entry is current. Base64 has no ':', so the two cannot be confused.
 * Whoever decrypts Instance.encryptedCredentials (the provider egress) builds its box the same way and passes the
 * instance id as associated data.
 */
export function createCredentialsBox(credentialsKey: string): SecretBox {
  if (credentialsKey.includes(':')) return SecretBox.fromKeyList(credentialsKey);
  return new SecretBox({ currentKeyId: 'default', keys: { default: Buffer.from(credentialsKey, 'base64') } });
}

/** What is encrypted: a JSON object, so a provider can keep more than one secret. */
export interface InstanceCredentials {
  accessToken?: string;
}

export function sealCredentials(box: SecretBox, instanceId: string, credentials: InstanceCredentials): string {
  return box.encrypt(JSON.stringify(credentials), instanceId);
}
