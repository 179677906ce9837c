import { searchProducts, type Prisma, type PrismaClient, type Product } from '@app/db';
import { productSearchText, productsToCsv, type ParsedProductCsv } from '@app/domain';
import { AppError } from '@app/runtime/service';
import type { TenantContext } from '../http/tenant-context.ts';
import { notFound } from '../http/validate.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { ProductInput, ProductPatch, ProductView } from './products.schema.ts';

export function toProductView(product: Product): ProductView {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    priceMinor: product.priceMinor,
    currency: product.currency,
    sku: product.sku,
    stock: product.stock,
    images: product.images,
    active: product.active,
    category: product.category,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

function skuTaken(sku: string | null | undefined): AppError {
  return new AppError('CONFLICT', `Another product already has the SKU "${sku}".`, { field: 'sku' });
}

/** The catalogue of one business. Every query is scoped by the caller's businessId. */
export function createProductRepository(prisma: PrismaClient) {
  const find = async (tenant: TenantContext, id: string) => {
    const product = await prisma.product.findFirst({ where: { id, businessId: tenant.businessId } });
    if (!product) throw notFound('Product');
    return product;
  };

  return {
    async list(tenant: TenantContext, query: { q?: string | undefined; active?: 'true' | 'false' | undefined; limit: number; offset: number }) {
      if (query.q) {
        const hits = await searchProducts(prisma, {
          businessId: tenant.businessId,
          query: query.q,
          limit: query.limit,
          activeOnly: query.active === 'true',
        });
        const rows = await prisma.product.findMany({ where: { businessId: tenant.businessId, id: { in: hits.map((hit) => hit.id) } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        const items = hits
          .filter((hit) => byId.has(hit.id) && (query.active !== 'false' || !hit.active))
          .map((hit) => ({ ...toProductView(byId.get(hit.id)!), score: Math.round(hit.score * 1000) / 1000 }));
        return { items, total: items.length };
      }
      const where: Prisma.ProductWhereInput = { businessId: tenant.businessId, ...(query.active ? { active: query.active === 'true' } : {}) };
      const [rows, total] = await Promise.all([
        prisma.product.findMany({ where, orderBy: [{ name: 'asc' }, { id: 'asc' }], take: query.limit, skip: query.offset }),
        prisma.product.count({ where }),
      ]);
      return { items: rows.map(toProductView), total };
    },

    async get(tenant: TenantContext, id: string): Promise<ProductView> {
      return toProductView(await find(tenant, id));
    },

    async create(tenant: TenantContext, input: ProductInput): Promise<ProductView> {
      try {
        const product = await prisma.product.create({ data: { businessId: tenant.businessId, ...input, searchText: productSearchText(input) } });
        return toProductView(product);
      } catch (error) {
        if (isUniqueViolation(error)) throw skuTaken(input.sku);
        throw error;
      }
    },

    async update(tenant: TenantContext, id: string, patch: ProductPatch): Promise<ProductView> {
      const current = await find(tenant, id);
      const next = {
        name: patch.name ?? current.name,
        category: patch.category !== undefined ? patch.category : current.category,
        sku: patch.sku !== undefined ? patch.sku : current.sku,
      };
      try {
        const product = await prisma.product.update({ where: { id: current.id }, data: { ...patch, searchText: productSearchText(next) } });
        return toProductView(product);
      } catch (error) {
        if (isUniqueViolation(error)) throw skuTaken(patch.sku);
        throw error;
      }
    },

    async addImage(tenant: TenantContext, id: string, key: string): Promise<ProductView> {
      const product = await find(tenant, id);
      return toProductView(await prisma.product.update({ where: { id: product.id }, data: { images: { push: key } } }));
    },

    async removeImage(tenant: TenantContext, id: string, index: number): Promise<{ product: ProductView; removed: string }> {
      const product = await find(tenant, id);
      const removed = product.images[index];
      if (removed === undefined) throw notFound('Image');
      const updated = await prisma.product.update({ where: { id: product.id }, data: { images: product.images.filter((_, at) => at !== index) } });
      return { product: toProductView(updated), removed };
    },

    /** A product that was ordered stays (its order lines point at it): the operator deactivates it instead. */
    async remove(tenant: TenantContext, id: string): Promise<{ images: string[] }> {
      const product = await find(tenant, id);
      const ordered = await prisma.orderItem.count({ where: { productId: product.id, businessId: tenant.businessId } });
      if (ordered > 0) {
        throw new AppError('CONFLICT', 'This product is part of orders and cannot be deleted; deactivate it instead (active: false).', {
          reason: 'ordered',
        });
      }
      await prisma.product.delete({ where: { id: product.id } });
      return { images: product.images };
    },

    /**
     * All-or-nothing: rows whose SKU exists update that product (only the file's columns), the others are created,
     * in one transaction.
     */
    async importRows(
      tenant: TenantContext,
      { rows, columns }: Pick<ParsedProductCsv, 'rows' | 'columns'>,
    ): Promise<{ created: number; updated: number }> {
      return prisma.$transaction(
        async (transaction) => {
          const skus = rows.flatMap((row) => (row.sku ? [row.sku] : []));
          const existing = new Map(
            (await transaction.product.findMany({ where: { businessId: tenant.businessId, sku: { in: skus } } })).map((product) => [
              product.sku!,
              product,
            ]),
          );
          let created = 0;
          let updated = 0;
          const toCreate: Prisma.ProductCreateManyInput[] = [];
          for (const { line: _line, ...row } of rows) {
            const current = row.sku ? existing.get(row.sku) : undefined;
            if (current) {
              const changed = Object.fromEntries(
                (['name', 'description', 'priceMinor', 'currency', 'stock', 'category', 'active'] as const)
                  .filter((column) => (column !== 'priceMinor' ? columns.includes(column) : columns.includes('price')))
                  .map((column) => [column, row[column]]),
              );
              const next = { ...current, ...changed };
              await transaction.product.update({ where: { id: current.id }, data: { ...changed, searchText: productSearchText(next) } });
              updated += 1;
            } else {
              toCreate.push({ ...row, searchText: productSearchText(row), businessId: tenant.businessId });
              created += 1;
            }
          }
          if (toCreate.length > 0) await transaction.product.createMany({ data: toCreate });
          return { created, updated };
        },
        { timeout: 60_000 },
      );
    },

    async exportCsv(tenant: TenantContext): Promise<string> {
      const products = await prisma.product.findMany({ where: { businessId: tenant.businessId }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
      return productsToCsv(products);
    },
  };
}
