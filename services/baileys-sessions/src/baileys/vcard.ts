/** One contact card as the domain carries it (`contacts` content). */
export interface ContactCard {
  name: string;
  phones: { phone: string; waId?: string; type?: string }[];
  emails: string[];
  organization?: string;
}

/**
 * The few vCard 3.0 lines WhatsApp writes (FN, TEL with `waid=`, EMAIL, ORG) → a contact card. Pure; unknown
 * lines are ignored, folded lines are joined first.
 */
export function parseVcard(vcard: string, displayName?: string | null): ContactCard {
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const card: ContactCard = { name: displayName ?? '', phones: [], emails: [] };
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [property = '', ...parameters] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1).trim();
    const name = property.toUpperCase().replace(/^ITEM\d+\./, '');
    if (name === 'FN' && !card.name) card.name = value;
    else if (name === 'TEL') {
      const waId = parameters.find((parameter) => parameter.toLowerCase().startsWith('waid='))?.slice(5);
      const type = parameters.find((parameter) => parameter.toLowerCase().startsWith('type='))?.slice(5);
      card.phones.push({ phone: value, ...(waId ? { waId } : {}), ...(type ? { type } : {}) });
    } else if (name === 'EMAIL') card.emails.push(value);
    else if (name === 'ORG' && value) card.organization = value.replace(/;+$/, '');
  }
  return card;
}
