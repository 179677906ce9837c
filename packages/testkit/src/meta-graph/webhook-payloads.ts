/**
 * Cloud API webhook payload factories with overrides (house rule 14). Shapes follow Meta's documented
 * examples (protocols.md §1.3–1.4); every field a test does not care about has a realistic default.
 */
export const defaultPhoneNumberId = '106540352242922';
export const defaultDisplayPhoneNumber = '15550783881';
export const defaultWabaId = '102290129340398';
export const defaultCustomerPhone = '16505551234';

let sequence = 0;
/** A unique, wamid-looking message id. */
export function nextWamid(): string {
  sequence += 1;
  const random = Math.random().toString(36).slice(2, 10).toUpperCase();
  return `wamid.HBgL${Buffer.from(`${Date.now()}-${sequence}-${random}`).toString('base64url')}`;
}

export function unixSeconds(date: Date = new Date()): string {
  return String(Math.floor(date.getTime() / 1000));
}

export interface MetaWebhookOptions {
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  wabaId?: string;
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
  errors?: unknown[];
}

/** One entry with one `messages` change; pass several to `metaWebhookBatch` for a multi-entry delivery. */
export function metaWebhook(options: MetaWebhookOptions = {}) {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: options.displayPhoneNumber ?? defaultDisplayPhoneNumber,
      phone_number_id: options.phoneNumberId ?? defaultPhoneNumberId,
    },
  };
  if (options.contacts) value.contacts = options.contacts;
  if (options.messages) value.messages = options.messages;
  if (options.statuses) value.statuses = options.statuses;
  if (options.errors) value.errors = options.errors;
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: options.wabaId ?? defaultWabaId, changes: [{ value, field: 'messages' }] }],
  };
}

export function metaWebhookBatch(...webhooks: ReturnType<typeof metaWebhook>[]) {
  return { object: 'whatsapp_business_account', entry: webhooks.flatMap((webhook) => webhook.entry) };
}

export interface MetaContactOptions {
  /** Customer phone; pass `null` for a BSUID-only contact. */
  from?: string | null;
  userId?: string;
  name?: string;
}

export function metaContact(options: MetaContactOptions = {}) {
  const contact: Record<string, unknown> = { profile: { name: options.name ?? 'Sheena Nelson' } };
  if (options.from !== null) contact.wa_id = options.from ?? defaultCustomerPhone;
  if (options.userId) contact.user_id = options.userId;
  return contact;
}

export interface MetaMessageOptions {
  /** Customer phone; pass `null` for a BSUID-only sender. */
  from?: string | null;
  userId?: string;
  id?: string;
  timestamp?: string;
  context?: { from?: string; id: string };
}

/** A message object of any type: `metaMessage('image', { image: {...} })`. */
export function metaMessage(type: string, body: Record<string, unknown>, options: MetaMessageOptions = {}) {
  const message: Record<string, unknown> = {
    id: options.id ?? nextWamid(),
    timestamp: options.timestamp ?? unixSeconds(),
    type,
    ...body,
  };
  if (options.from !== null) message.from = options.from ?? defaultCustomerPhone;
  if (options.userId) message.from_user_id = options.userId;
  if (options.context) message.context = options.context;
  return message;
}

export interface MetaTextMessageWebhookOptions extends MetaMessageOptions {
  phoneNumberId?: string;
  text?: string;
  name?: string;
}

export function metaTextMessageWebhook(options: MetaTextMessageWebhookOptions = {}) {
  const from = options.from === undefined ? defaultCustomerPhone : options.from;
  const contact: Record<string, unknown> = { profile: { name: options.name ?? 'Sheena Nelson' } };
  if (from !== null) contact.wa_id = from;
  if (options.userId) contact.user_id = options.userId;
  return metaWebhook({
    phoneNumberId: options.phoneNumberId,
    contacts: [contact],
    messages: [metaMessage('text', { text: { body: options.text ?? 'Hello!' } }, { ...options, from })],
  });
}

export interface MetaStatusOptions {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'played' | 'failed' | string;
  recipientId?: string;
  timestamp?: string;
  errors?: { code: number; title?: string; message?: string; details?: string }[];
}

export function metaStatus(options: MetaStatusOptions) {
  const status: Record<string, unknown> = {
    id: options.id,
    status: options.status,
    timestamp: options.timestamp ?? unixSeconds(),
    recipient_id: options.recipientId ?? defaultCustomerPhone,
  };
  if (options.errors) {
    status.errors = options.errors.map((error) => ({
      code: error.code,
      title: error.title ?? error.message ?? 'Error',
      message: error.message ?? error.title ?? 'Error',
      error_data: { details: error.details ?? error.message ?? 'Error' },
    }));
  }
  return status;
}

export function metaStatusWebhook(options: MetaStatusOptions & { phoneNumberId?: string }) {
  return metaWebhook({ phoneNumberId: options.phoneNumberId, statuses: [metaStatus(options)] });
}

export interface MetaMediaMessageWebhookOptions extends MetaMessageOptions {
  phoneNumberId?: string;
  type: 'image' | 'audio' | 'video' | 'document' | 'sticker';
  /** Meta's media object: `id`, `mime_type` and `sha256` as the webhook carries them; caption, filename, voice. */
  media: { id: string; mime_type: string; sha256?: string; caption?: string; filename?: string; voice?: boolean; animated?: boolean };
  name?: string;
}

/** An inbound media message, e.g. `{ type: 'image', media: { id: '1908…', mime_type: 'image/jpeg' } }`. */
export function metaMediaMessageWebhook(options: MetaMediaMessageWebhookOptions) {
  const from = options.from === undefined ? defaultCustomerPhone : options.from;
  return metaWebhook({
    phoneNumberId: options.phoneNumberId,
    contacts: [metaContact({ from, ...(options.name ? { name: options.name } : {}), ...(options.userId ? { userId: options.userId } : {}) })],
    messages: [metaMessage(options.type, { [options.type]: options.media }, { ...options, from })],
  });
}
