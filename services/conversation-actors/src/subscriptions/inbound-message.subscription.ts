import { CONVERSATION_ACTOR_TYPE, conversationActorId, MessageReceived, Topics, type ConversationActorApi } from '@app/domain';
import { actorProxy, type ActorClient, type Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import type { BufferSettingsCache } from './buffer-settings.cache.ts';

export const CONVERSATION_ACTORS_GROUP = 'conversation-actors';

/** messages.inbound → the conversation's actor, which buffers the burst. A redelivery is ignored by the actor. */
export function inboundMessageSubscription(dependencies: { actors: ActorClient; settings: BufferSettingsCache; logger: Logger }): Subscription {
  return {
    topic: Topics.messagesInbound,
    group: CONVERSATION_ACTORS_GROUP,
    handler: async (event) => {
      if (event.type !== MessageReceived.type) return 'success';
      const parsed = MessageReceived.schema.safeParse(event);
      if (!parsed.success) {
        dependencies.logger.error({ event: 'inbound_message.malformed_event', eventId: event.id }, 'dropping a malformed message.received');
        return 'drop';
      }
      const data = parsed.data.data;
      const provider = await dependencies.settings.provider(data.businessId, data.instanceId);
      if (!provider) {
        dependencies.logger.warn(
          { event: 'inbound_message.unknown_instance', businessId: data.businessId, instanceId: data.instanceId },
          'instance not found; message not buffered',
        );
        return 'drop';
      }
      const { bufferSeconds, maxBufferSeconds } = await dependencies.settings.bufferSettings(data.businessId);
      const actor = actorProxy<ConversationActorApi>(
        dependencies.actors,
        CONVERSATION_ACTOR_TYPE,
        conversationActorId(data.instanceId, data.contactId),
      );
      await actor.receiveMessage({
        messageId: data.messageId,
        businessId: data.businessId,
        instanceId: data.instanceId,
        conversationId: data.conversationId,
        contactId: data.contactId,
        provider,
        sentAt: data.sentAt,
        bufferSeconds,
        maxBufferSeconds,
      });
      return 'success';
    },
  };
}
