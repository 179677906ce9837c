import {
  CONVERSATION_ACTOR_TYPE,
  type CompleteBufferInput,
  type FailBufferInput,
  type ReceiveMessageInput,
  type SetBotDisabledInput,
} from '@app/domain';
import type { ActorContext, ActorDefinition } from '@app/runtime/ports';
import { ConversationActor, type ConversationActorOptions } from './conversation-actor.ts';

export const defaultConversationActorOptions: ConversationActorOptions = { aiEnabled: true, aiJobTimeoutSeconds: 300 };

/** Wires the plain ConversationActor to a host (local or Dapr): one fresh instance per turn, state from the context. */
export function createConversationActorDefinition(options: ConversationActorOptions = defaultConversationActorOptions): ActorDefinition {
  const actor = (context: ActorContext) => new ConversationActor(context, options);
  return {
    type: CONVERSATION_ACTOR_TYPE,
    methods: {
      receiveMessage: (context, argument) => actor(context).receiveMessage(argument as ReceiveMessageInput),
      completeBuffer: (context, argument) => actor(context).completeBuffer(argument as CompleteBufferInput),
      failBuffer: (context, argument) => actor(context).failBuffer(argument as FailBufferInput),
      setBotDisabled: (context, argument) => actor(context).setBotDisabled(argument as SetBotDisabledInput),
      getSnapshot: (context) => actor(context).getSnapshot(),
    },
    onReminder: (context, name, data) => actor(context).onReminder(name, data),
  };
}

export const conversationActorDefinition: ActorDefinition = createConversationActorDefinition();
