import type { MessageView } from '../../../core/api/api-models';

/**
 * The parts of a message's normalized content (MessageContent of @app/domain, which the API returns as `content`)
 * that the chat shows. Read defensively: `content` is typed `unknown` in the API document and old rows may lack fields.
 */
export interface MediaPart {
  caption: string | null;
  filename: string | null;
  mimeType: string | null;
  size: number | null;
  /**
   * Where the bytes are: stored in the object store, being fetched, failed, kept at WhatsApp (Cloud API media id), or
   * at a public https link (media the agent sent by URL).
   */
  state: 'stored' | 'pending' | 'failed' | 'remote' | 'link';
  /** The https link of `link` media; null otherwise. */
  url: string | null;
}

export type MessagePart =
  | { kind: 'text'; text: string }
  | { kind: 'image' | 'video' | 'document'; media: MediaPart }
  | { kind: 'audio'; media: MediaPart; voice: boolean }
  | { kind: 'sticker'; media: MediaPart; animated: boolean }
  | { kind: 'location'; name: string | null; address: string | null; latitude: number; longitude: number; mapUrl: string }
  | { kind: 'contacts'; contacts: { name: string; phones: string[] }[] }
  | { kind: 'other'; text: string };

type Loose = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const object = (value: unknown): Loose => (value && typeof value === 'object' ? (value as Loose) : {});

function mediaPart(value: unknown): MediaPart {
  const media = object(value);
  const download = object(media['download']);
  const url = text(media['url']);
  const link = url && /^https:\/\//i.test(url) ? url : null;
  const state =
    download['state'] === 'stored' || download['state'] === 'pending' || download['state'] === 'failed'
      ? download['state']
      : link
        ? 'link'
        : 'remote';
  return {
    caption: text(media['caption']),
    filename: text(media['filename']),
    mimeType: text(media['mimeType']),
    size: typeof media['size'] === 'number' ? media['size'] : null,
    state,
    url: state === 'link' ? link : null,
  };
}

/** OpenStreetMap needs no API key and works for any coordinates; a link the provider sent wins. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

export function messagePart(message: Pick<MessageView, 'kind' | 'text' | 'content'>): MessagePart {
  const content = object(message.content);
  switch (message.kind) {
    case 'text':
      return { kind: 'text', text: message.text ?? text(content['text']) ?? '' };
    case 'image':
    case 'video':
    case 'document':
      return { kind: message.kind, media: mediaPart(content['media']) };
    case 'audio':
      return { kind: 'audio', media: mediaPart(content['media']), voice: content['voice'] === true };
    case 'sticker':
      return { kind: 'sticker', media: mediaPart(content['media']), animated: content['animated'] === true };
    case 'location': {
      const latitude = Number(content['latitude']);
      const longitude = Number(content['longitude']);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) break;
      const url = text(content['url']);
      return {
        kind: 'location',
        name: text(content['name']),
        address: text(content['address']),
        latitude,
        longitude,
        mapUrl: url && /^https:\/\//.test(url) ? url : mapLink(latitude, longitude),
      };
    }
    case 'contacts': {
      const contacts = Array.isArray(content['contacts']) ? content['contacts'].map(object) : [];
      return {
        kind: 'contacts',
        contacts: contacts.map((contact) => ({
          name: text(contact['name']) ?? '—',
          phones: (Array.isArray(contact['phones']) ? contact['phones'].map(object) : [])
            .map((phone) => text(phone['phone']))
            .filter((phone): phone is string => phone !== null),
        })),
      };
    }
  }
  return { kind: 'other', text: message.text ?? `[${message.kind}]` };
}

/** The quoted message of a reply, when it is one: its provider id (the chat looks its text up among loaded messages). */
export function replyTarget(message: Pick<MessageView, 'content'>): string | null {
  return text(object(object(message.content)['context'])['providerMessageId']);
}

/** What the author did to a message after sending it (WhatsApp lets customers edit and delete for everyone). */
export function authorChange(message: Pick<MessageView, 'content'>): { deleted: boolean; edited: boolean; previousText: string | null } {
  const content = object(message.content);
  const history = Array.isArray(content['editHistory']) ? content['editHistory'].map(object) : [];
  return {
    deleted: text(content['deletedAt']) !== null,
    edited: text(content['editedAt']) !== null,
    previousText: history.length > 0 ? text(history.at(-1)!['previousText']) : null,
  };
}

/** "2.4 MB" */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
