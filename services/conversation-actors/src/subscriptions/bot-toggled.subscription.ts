import type { PrismaClient } from '@app/db';
import { CONVERSATION_ACTOR_TYPE, ContactBotToggled, conversationActorId, Topics, type ConversationActorApi } from '@app/domain';
import { actorProxy, type ActorClient, type Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { CONVERSATION_ACTORS_GROUP } from './inbound-message.subscription.ts';

/**
 * contact.bot-toggled → every conversation of that contact. The contact row is the source of truth, so the
 * actors get its CURRENT switch: a late or redelivered old event cannot undo a newer change.
 */
export function botToggledSubscription(dependencies: { prisma: PrismaClient; actors: ActorClient; logger: Logger }): Subscription {
  return {
    topic: Topics.contactsBotControl,
    group: CONVERSATION_ACTORS_GROUP,
    handler: async (event) => {
      if (event.type !== ContactBotToggled.type) return 'success';
      const parsed = ContactBotToggled.schema.safeParse(event);
      if (!parsed.success) {
        dependencies.logger.error({ event: 'bot_toggled.malformed_event', eventId: event.id }, 'dropping a malformed contact.bot-toggled');
        return 'drop';
      }
      const { businessId, contactId } = parsed.data.data;
      const contact = await dependencies.prisma.contact.findFirst({
        where: { id: contactId, businessId },
        select: { botDisabled: true, botDisabledUntil: true, conversations: { select: { instanceId: true } } },
      });
      if (!contact) return 'drop';
      for (const conversation of contact.conversations) {
        const actor = actorProxy<ConversationActorApi>(
          dependencies.actors,
          CONVERSATION_ACTOR_TYPE,
          conversationActorId(conversation.instanceId, contactId),
        );
        await actor.setBotDisabled({
          disabled: contact.botDisabled,
          until: contact.botDisabled ? (contact.botDisabledUntil?.toISOString() ?? null) : null,
        });
      }
      return 'success';
    },
  };
}
