import { isCurrencyCode } from '@app/domain';
import { z } from 'zod';

const currency = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrencyCode, 'must be an ISO 4217 currency code such as EUR, MXN or COP')
  .describe('ISO 4217 code.');

export const productBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5_000).default(''),
  priceMinor: z.number().int().min(0).max(2_000_000_000).describe('Price in minor units of the currency (cents): 1250 = 12.50 EUR.'),
  currency,
  sku: z.string().trim().min(1).max(64).nullable().default(null).describe('Unique per business; the CSV import matches rows by it.'),
  stock: z.number().int().min(0).max(2_000_000_000).nullable().default(null).describe('Units left; null: not tracked.'),
  active: z.boolean().default(true).describe('Inactive products are kept but neither found by the agent nor ordered.'),
  category: z.string().trim().min(1).max(100).nullable().default(null),
});
export type ProductInput = z.infer<typeof productBodySchema>;

export const productPatchSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5_000),
    priceMinor: z.number().int().min(0).max(2_000_000_000),
    currency,
    sku: z.string().trim().min(1).max(64).nullable(),
    stock: z.number().int().min(0).max(2_000_000_000).nullable(),
    active: z.boolean(),
    category: z.string().trim().min(1).max(100).nullable(),
  })
  .partial()
  .describe('Fields left out keep their value.');
export type ProductPatch = z.infer<typeof productPatchSchema>;

export const productViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  priceMinor: z.number().int(),
  currency: z.string(),
  sku: z.string().nullable(),
  stock: z.number().int().nullable(),
  images: z.array(z.string()).describe('Object-store keys of the pictures; GET /products/{productId}/images/{index} serves one.'),
  active: z.boolean(),
  category: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProductView = z.infer<typeof productViewSchema>;

export const productListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Typo-tolerant search over name, category and SKU, best match first.'),
  active: z.enum(['true', 'false']).optional().describe('Only active (true) or inactive (false) products.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0).describe('Without q only.'),
});

export const productListSchema = z.object({
  items: z.array(productViewSchema.extend({ score: z.number().optional().describe('With q: how well it matches (higher is better).') })),
  total: z.number().int().describe('Without q: every product matching the filter; with q: the matches returned.'),
});

export const productImportBodySchema = z
  .string()
  .describe(
    'The CSV file (text/csv, UTF-8, at most 2 MB): a header line naming the columns sku, name, description, price, currency, stock, category, active (name, price and currency required; `,` or `;`), then one product per line. Prices are decimals ("12.50"). Rows whose SKU exists update that product; the others are created.',
  );

export const productImportResultSchema = z.object({ created: z.number().int(), updated: z.number().int() });

export const productIdParams = z.object({ productId: z.uuid() });
export const productImageParams = z.object({ productId: z.uuid(), index: z.number().int().min(0).describe('Position in images, from 0.') });

export const maxProductImages = 10;

export const productImageBodySchema = z.string().describe('The picture’s bytes (JPEG, PNG or WebP, at most 5 MB); the type is read from the bytes.');
