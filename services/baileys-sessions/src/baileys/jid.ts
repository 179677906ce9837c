/** A WhatsApp JID split into its parts: `user[:device]@server` (Baileys' `jidDecode`, without the import). */
export interface ParsedJid {
  user: string;
  server: string;
  device: number | null;
}

export function parseJid(jid: string | null | undefined): ParsedJid | null {
  if (!jid) return null;
  const at = jid.indexOf('@');
  if (at <= 0) return null;
  const server = jid.slice(at + 1);
  const userPart = jid.slice(0, at);
  const [userAndAgent = '', device] = userPart.split(':');
  const user = userAndAgent.split('_')[0] ?? '';
  if (user === '') return null;
  return { user, server, device: device === undefined ? null : Number(device) };
}

export const isGroupJid = (jid: string | null | undefined): boolean => !!jid && jid.endsWith('@g.us');
export const isStatusBroadcastJid = (jid: string | null | undefined): boolean => jid === 'status@broadcast';
export const isBroadcastJid = (jid: string | null | undefined): boolean => !!jid && jid.endsWith('@broadcast');
export const isNewsletterJid = (jid: string | null | undefined): boolean => !!jid && jid.endsWith('@newsletter');

/** Phone-number JIDs are `…@s.whatsapp.net` (older clients: `…@c.us`); linked ids are `…@lid`. */
export function identityOf(jid: string | null | undefined): { phone: string | null; lid: string | null } {
  const parsed = parseJid(jid);
  if (!parsed) return { phone: null, lid: null };
  if (parsed.server === 's.whatsapp.net' || parsed.server === 'c.us') return { phone: parsed.user, lid: null };
  if (parsed.server === 'lid') return { phone: null, lid: parsed.user };
  return { phone: null, lid: null };
}

/** Where to send to a contact: its phone number when known, else its LID (WhatsApp accepts both). */
export function recipientJid(contact: { phone: string | null; lid: string | null }): string | null {
  if (contact.phone) return `${contact.phone.replace(/^\+/, '')}@s.whatsapp.net`;
  if (contact.lid) return `${contact.lid}@lid`;
  return null;
}
