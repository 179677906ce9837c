import { createAppointmentBook, type PrismaClient } from '@app/db';
import {
  AppointmentChanged,
  BusinessBotToggled,
  ContactBotToggled,
  ContactFieldChanged,
  MessageContentChanged,
  MessageReceived,
  MessageSendRequested,
  MessageStatusChanged,
  outboundMessageIds,
  OrderChanged,
  Topics,
  type DomainEvent,
} from '@app/domain';
import type { Clock, DeliveryOutcome, Subscription } from '@app/runtime/ports';
import type { Logger } from '@app/runtime/service';
import { toAppointmentView } from '../appointments/appointment-view.ts';
import { loadOrderView } from '../orders/order-views.ts';
import type { LiveChannel } from './live-channel.ts';
import type { LiveEvent } from './live-event.ts';
import { createLiveViewsRepository } from './live-views.repository.ts';

/**
 * The outbox group of live updates. All tenant-api replicas join this ONE group, so the transport hands each
 * event to one replica (competing consumers: Dapr's consumer group per app id; SKIP LOCKED in the local outbox).
 * That replica loads the views and publishes once to the LiveChannel; with Redis the channel fans out to every
 * replica. A redelivered event (crash, Dapr retry of a sibling group) is stopped by the channel's dedupe key.
 * Views are loaded only for a business some console watches: otherwise the channel records a gap marker (resync
 * for a client resuming from before it) and the event costs no query — consoles are usually closed.
 */
export const LIVE_UPDATES_GROUP = 'tenant-api-live';

export interface LiveOutboxDependencies {
  prisma: PrismaClient;
  logger: Logger;
  clock: Clock;
  channel: LiveChannel;
  /** After stop(), events are left for the next run instead of being published to a closed channel. */
  isStopped(): boolean;
}

export function createLiveOutboxSubscriptions(deps: LiveOutboxDependencies): Subscription[] {
  const views = createLiveViewsRepository(deps.prisma);
  const appointments = createAppointmentBook(deps.prisma, () => deps.clock.now());

  const publish = async (businessId: string, event: LiveEvent, dedupeKey: string) => {
    await deps.channel.publish(businessId, event, { dedupeKey });
  };

  const conversationUpdated = async (businessId: string, conversationId: string, sourceId: string) => {
    const conversation = await views.conversation(businessId, conversationId, deps.clock.now());
    if (conversation)
      await publish(businessId, { type: 'conversation.updated', data: { conversation } }, `${sourceId}:conversation.updated:${conversationId}`);
  };

  const messageChanged = async (
    type: 'message.created' | 'message.updated',
    ids: { businessId: string; conversationId: string; messageId: string },
    sourceId: string,
  ) => {
    const message = await views.message(ids.businessId, ids.messageId);
    // A message that is gone (its business deleted) has nothing to show.
    if (message) await publish(ids.businessId, { type, data: { conversationId: message.conversationId, message } }, `${sourceId}:${type}`);
  };

  async function handle(event: DomainEvent): Promise<DeliveryOutcome> {
    if (deps.isStopped()) return 'retry';
    const businessId = businessOf(event);
    if (businessId !== null && !(await deps.channel.watchedOrMarkGap(businessId))) return 'success';
    switch (event.type) {
      case MessageReceived.type:
      case MessageSendRequested.type: {
        // A customer message was stored, or an outbound one (AI reply, operator reply) exists and is PENDING.
        const parsed = (event.type === MessageReceived.type ? MessageReceived.schema : MessageSendRequested.schema).safeParse(event);
        if (!parsed.success) return malformed(event);
        const { data } = parsed.data;
        // Every message of a multi-message AI reply, in order (the first keeps the event's own dedupe key).
        const messageIds = 'messageIds' in data ? outboundMessageIds(data) : [data.messageId];
        for (const [index, messageId] of messageIds.entries()) {
          await messageChanged('message.created', { ...data, messageId }, index === 0 ? event.id : `${event.id}:${index}`);
        }
        await conversationUpdated(data.businessId, data.conversationId, event.id);
        return 'success';
      }
      case MessageStatusChanged.type: {
        const parsed = MessageStatusChanged.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        await messageChanged('message.updated', parsed.data.data, event.id);
        return 'success';
      }
      case MessageContentChanged.type: {
        const parsed = MessageContentChanged.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        await messageChanged('message.updated', parsed.data.data, event.id);
        // The list's preview may show the text that was just edited or deleted (a stored file changes no preview).
        if (parsed.data.data.change !== 'media') await conversationUpdated(parsed.data.data.businessId, parsed.data.data.conversationId, event.id);
        return 'success';
      }
      case ContactBotToggled.type: {
        const parsed = ContactBotToggled.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        const { businessId, contactId } = parsed.data.data;
        for (const conversation of await views.conversationsOfContact(businessId, contactId, deps.clock.now())) {
          await publish(businessId, { type: 'conversation.updated', data: { conversation } }, `${event.id}:conversation.updated:${conversation.id}`);
        }
        return 'success';
      }
      case BusinessBotToggled.type: {
        const parsed = BusinessBotToggled.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        // The current value, not the event's: a late redelivery must not show a switch that was flipped back since.
        const botEnabled = await views.botEnabled(parsed.data.data.businessId);
        if (botEnabled !== null)
          await publish(parsed.data.data.businessId, { type: 'business.updated', data: { botEnabled } }, `${event.id}:business.updated`);
        return 'success';
      }
      case ContactFieldChanged.type: {
        const parsed = ContactFieldChanged.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        // Only which contact and field: an open contact panel refetches, so a late redelivery never shows an old value.
        const { businessId, contactId, fieldKey } = parsed.data.data;
        await publish(businessId, { type: 'contact.fields-changed', data: { contactId, fieldKey } }, `${event.id}:contact.fields-changed`);
        return 'success';
      }
      case AppointmentChanged.type: {
        const parsed = AppointmentChanged.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        const { businessId, appointmentId } = parsed.data.data;
        // The current row, not the event's change: a late redelivery shows what is true now.
        const appointment = await appointments.byId(businessId, appointmentId);
        if (appointment)
          await publish(
            businessId,
            { type: 'appointment.updated', data: { appointment: toAppointmentView(appointment) } },
            `${event.id}:appointment.updated`,
          );
        return 'success';
      }
      case OrderChanged.type: {
        const parsed = OrderChanged.schema.safeParse(event);
        if (!parsed.success) return malformed(event);
        // The order as it is now: a late redelivery shows the current state, never an older one.
        const order = await loadOrderView(deps.prisma, parsed.data.data.businessId, parsed.data.data.orderId);
        if (order) await publish(parsed.data.data.businessId, { type: 'order.updated', data: { order } }, `${event.id}:order.updated`);
        return 'success';
      }
      default:
        // Other types on these topics (message.send-cancelled: its CANCELLED status arrives as message.status-changed).
        return 'success';
    }
  }

  /** Every event on these topics names its business; a malformed one is dropped by the parse below. */
  function businessOf(event: DomainEvent): string | null {
    const data = (event as { data?: unknown }).data;
    const businessId = typeof data === 'object' && data !== null ? (data as { businessId?: unknown }).businessId : undefined;
    return typeof businessId === 'string' && businessId.length > 0 ? businessId : null;
  }

  function malformed(event: DomainEvent): DeliveryOutcome {
    deps.logger.warn({ event: 'live.malformed_event', eventId: event.id, type: event.type }, 'live updates: dropping a malformed event');
    return 'drop';
  }

  return [
    Topics.messagesInbound,
    Topics.messagesStatus,
    Topics.messagesOutbound,
    Topics.contactsBotControl,
    Topics.contactsFields,
    Topics.businessesBotControl,
    Topics.appointments,
    Topics.orders,
  ].map((topic) => ({
    topic,
    group: LIVE_UPDATES_GROUP,
    handler: handle,
  }));
}
