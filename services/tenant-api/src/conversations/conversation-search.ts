import { Prisma, type PrismaClient } from '@app/db';
import type { PageCursor } from './page-cursor.ts';

/**
 * Inbox search across every conversation of a business, not only the pages the console has loaded: a conversation
 * matches when its contact's name, phone or WhatsApp id contains the term, or when one of its messages does.
 * Accents and case are ignored on both sides ("jose" finds "José"), the way WhatsApp's own search behaves; phone
 * numbers match on their digits ("+34 612-34" finds 3461234…).
 */
export interface SearchTerm {
  /** Case-insensitive regular expression (PostgreSQL `~*`) in which every letter also matches its accented forms. */
  regex: string;
  /** LIKE pattern over phone digits, when the term looks like a phone number. */
  digitsPattern: string | null;
}

/** Lower case without diacritics, the form a term is reduced to before its letters are widened again. */
function foldForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

// A regex class per base letter rather than folding the stored text: PostgreSQL cannot fold accents without the
// unaccent extension (absent from many managed databases), translate() over every row is many times slower than a
// regex, and a regex with classes is what a pg_trgm index can serve. Upper-case forms are listed because `~*` only
// folds ASCII letters under the C collation.
const accentedForms: Record<string, string> = {
  a: 'aáàâäãåāÁÀÂÄÃÅĀ',
  e: 'eéèêëēÉÈÊËĒ',
  i: 'iíìîïīÍÌÎÏĪ',
  o: 'oóòôöõøōÓÒÔÖÕØŌ',
  u: 'uúùûüūÚÙÛÜŪ',
  n: 'nñÑ',
  c: 'cçÇ',
  y: 'yýÿÝ',
};

export function searchTerm(query: string): SearchTerm {
  const regex = Array.from(foldForSearch(query.trim()), (character) => {
    const forms = accentedForms[character];
    if (forms) return `[${forms}]`;
    return /[\\^$.|?*+()[\]{}]/.test(character) ? `\\${character}` : character;
  }).join('');
  const digits = query.replace(/\D/g, '');
  const looksLikePhone = /^[+\d\s().-]+$/.test(query.trim()) && digits.length >= 3;
  return { regex, digitsPattern: looksLikePhone ? `%${digits}%` : null };
}

export interface SearchMatch {
  messageId: string;
  text: string;
  sentAt: Date;
}

/** One page of matching conversation ids in list order (last activity desc, nulls last, id desc). */
export async function searchConversationIds(
  prisma: PrismaClient,
  input: { businessId: string; instanceId?: string; term: SearchTerm; cursor: PageCursor | null; take: number },
): Promise<string[]> {
  const { businessId, term, cursor } = input;
  const contactMatches = [
    Prisma.sql`ct."name" ~* ${term.regex}`,
    Prisma.sql`ct."waUserId" ~* ${term.regex}`,
    term.digitsPattern ? Prisma.sql`ct."phone" LIKE ${term.digitsPattern}` : Prisma.sql`ct."phone" ~* ${term.regex}`,
  ];
  const messageMatch = Prisma.sql`EXISTS (
    SELECT 1 FROM "message" m
    WHERE m."conversationId" = c."id" AND m."businessId" = ${businessId}::uuid AND m."text" ~* ${term.regex}
  )`;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "conversation" c
    JOIN "contact" ct ON ct."id" = c."contactId"
    WHERE c."businessId" = ${businessId}::uuid
      ${input.instanceId ? Prisma.sql`AND c."instanceId" = ${input.instanceId}::uuid` : Prisma.empty}
      AND (${Prisma.join([...contactMatches, messageMatch], ' OR ')})
      ${afterCursorSql(cursor)}
    ORDER BY c."lastMessageAt" DESC NULLS LAST, c."id" DESC
    LIMIT ${input.take}`;
  return rows.map((row) => row.id);
}

/** The newest matching message of each conversation (a conversation found by its contact may have none). */
export async function newestMatchingMessages(
  prisma: PrismaClient,
  input: { businessId: string; conversationIds: string[]; term: SearchTerm },
): Promise<Map<string, SearchMatch>> {
  if (input.conversationIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ id: string; conversationId: string; text: string; sentAt: Date }[]>`
    SELECT DISTINCT ON (m."conversationId") m."id", m."conversationId", m."text", m."sentAt"
    FROM "message" m
    WHERE m."businessId" = ${input.businessId}::uuid
      AND m."conversationId" IN (${Prisma.join(input.conversationIds.map((id) => Prisma.sql`${id}::uuid`))})
      AND m."text" ~* ${input.term.regex}
    ORDER BY m."conversationId", m."sentAt" DESC, m."id" DESC`;
  return new Map(rows.map((row) => [row.conversationId, { messageId: row.id, text: row.text, sentAt: new Date(row.sentAt) }]));
}

function afterCursorSql(cursor: PageCursor | null): Prisma.Sql {
  if (!cursor) return Prisma.empty;
  if (cursor.at === null) return Prisma.sql`AND c."lastMessageAt" IS NULL AND c."id" < ${cursor.id}::uuid`;
  // Timestamps are stored as UTC without a zone; compare in UTC whatever the session's TimeZone is.
  const at = Prisma.sql`(${cursor.at}::timestamptz AT TIME ZONE 'UTC')`;
  return Prisma.sql`AND (c."lastMessageAt" < ${at} OR (c."lastMessageAt" = ${at} AND c."id" < ${cursor.id}::uuid) OR c."lastMessageAt" IS NULL)`;
}
