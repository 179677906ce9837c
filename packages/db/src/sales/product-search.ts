import { normalizeSearchText } from '@app/domain';
import { Prisma } from '../generated/prisma/client.ts';
import type { RawSqlClient } from '../raw-query.ts';

export interface ProductSearchHit {
  id: string;
  name: string;
  description: string;
  sku: string | null;
  category: string | null;
  priceMinor: number;
  currency: string;
  stock: number | null;
  active: boolean;
  /** Higher is better; about 1 for an exact match of every word. */
  score: number;
}

/** Below this a product shares little more than a syllable with the query. */
const minimumScore = 0.45;
const maxWords = 8;
/** How many nearest products (by the whole query) are re-ranked word by word. */
const candidates = 50;

/**
 * Typo-tolerant catalogue search with pg_trgm over `product.searchText` (name + category + SKU, lower case without
 * accents), in two steps:
 * 1. the GiST index on (businessId, searchText) hands out the `candidates` products nearest to the whole query by
 *    word similarity (`<<->`, a KNN scan): the cost follows the page, not the catalogue's size;
 * 2. those are re-ranked word by word: each query word is matched on its own with word_similarity ("azl" still
 *    meets "azul", "42" prefers "talla 42" to "talla 40"); a product's score is the mean over the words plus a
 *    little of the whole query's similarity to break ties, and weak matches are dropped.
 */
export async function searchProducts(
  client: RawSqlClient,
  input: { businessId: string; query: string; limit: number; activeOnly: boolean },
): Promise<ProductSearchHit[]> {
  const query = normalizeSearchText(input.query);
  const words = [...new Set(query.split(' ').filter((word) => word !== ''))].slice(0, maxWords);
  if (words.length === 0) return [];
  const wordScores = Prisma.join(
    words.map((word) => Prisma.sql`word_similarity(${word}, p."searchText")`),
    ' + ',
  );
  return client.$queryRaw<ProductSearchHit[]>`
    SELECT * FROM (
      SELECT p."id", p."name", p."description", p."sku", p."category", p."priceMinor", p."currency", p."stock", p."active",
        ((${wordScores}) / ${words.length}::float8 + 0.1 * similarity(${query}, p."searchText"))::float8 AS "score"
      FROM (
        SELECT * FROM "product" p
        WHERE p."businessId" = ${input.businessId}::uuid
          ${input.activeOnly ? Prisma.sql`AND p."active"` : Prisma.empty}
        ORDER BY ${query} <<-> p."searchText"
        LIMIT ${candidates}
      ) p
    ) ranked
    WHERE ranked."score" >= ${minimumScore}
    ORDER BY ranked."score" DESC, ranked."name" ASC
    LIMIT ${input.limit}`;
}
