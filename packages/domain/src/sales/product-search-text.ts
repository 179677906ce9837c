/**
 * The text a product is searched by: lower case, accents removed, punctuation turned into spaces, so "Pan
 * Integral (500 g)" and "pan integral 500 g" compare equal. The same function normalizes the query, and the
 * database's trigram index works on the stored result (unaccent() is not immutable, so it cannot be indexed).
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What is indexed for a product: its name first (the ranking prefers it), then category and SKU. */
export function productSearchText(product: { name: string; category: string | null; sku: string | null }): string {
  return normalizeSearchText([product.name, product.category ?? '', product.sku ?? ''].join(' '));
}
