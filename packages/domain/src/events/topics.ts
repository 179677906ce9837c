/** Topics name a stream; each carries the event types listed next to it. */
export const Topics = {
  /** message.received — a customer message was stored (exactly once). */
  messagesInbound: 'messages.inbound',
  /**
   * message.status-changed — an outbound message was sent, delivered, read, played or failed;
   * message.content-changed — a stored message was edited or deleted by its author, or its media were stored.
   */
  messagesStatus: 'messages.status',
  /** ai-reply.requested — a conversation's burst is ready for the AI; ai-reply.quarantined — the actor gave up on one. */
  aiRequests: 'ai.requests',
  /** message.send-requested / message.send-cancelled — a stored outbound message should go out (or not). */
  messagesOutbound: 'messages.outbound',
  /** contact.bot-toggled — the per-contact bot switch changed. */
  contactsBotControl: 'contacts.bot-control',
  /** contact.field-changed — an operator or the agent set or cleared one of a contact's custom fields. */
  contactsFields: 'contacts.fields',
  /** business.bot-toggled — the business-wide bot switch changed. */
  businessesBotControl: 'businesses.bot-control',
  /** appointment.changed — an appointment was booked, moved or changed status. */
  appointments: 'appointments',
  /** order.changed — an order was created, moved, or got (or lost) a voucher. */
  orders: 'orders',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];
