import { Topics } from '@app/domain';

/** The topic only the pod that runs `slot` subscribes to (Kubernetes): `messages.outbound.baileys.<slot>`. */
export function baileysSlotTopic(slot: number): string {
  return `${Topics.messagesOutbound}.baileys.${slot}`;
}
