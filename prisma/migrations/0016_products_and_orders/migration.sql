-- The product search index pairs the business (a btree-like key) with the trigram GiST opclass: btree_gist provides
-- the former. Trusted extension (PostgreSQL 13+); the embedded database loads it at open (packages/db/src/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'AWAITING_VOUCHER', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'CANCELLED');

-- AlterTable
ALTER TABLE "business" ADD COLUMN     "plan" TEXT NOT NULL DEFAULT 'free';

-- CreateTable
CREATE TABLE "product" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priceMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "sku" TEXT,
    "stock" INTEGER,
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "category" TEXT,
    "searchText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "conversationId" UUID,
    "status" "OrderStatus" NOT NULL,
    "currency" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "customerName" TEXT NOT NULL,
    "customerAddress" TEXT,
    "notes" TEXT,
    "deliveryAgent" TEXT,
    "voucherMessageId" UUID,
    "voucherAt" TIMESTAMP(3),
    "timeline" JSONB NOT NULL DEFAULT '[]',
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_item" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER NOT NULL,
    "lineTotalMinor" INTEGER NOT NULL,

    CONSTRAINT "order_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "product_businessId_name_idx" ON "product"("businessId", "name");

-- CreateIndex
CREATE INDEX "product_search_text_trgm_idx" ON "product" USING GIST ("businessId" gist_uuid_ops, "searchText" gist_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "product_id_businessId_key" ON "product"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "product_businessId_sku_key" ON "product"("businessId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "order_voucherMessageId_key" ON "order"("voucherMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "order_idempotencyKey_key" ON "order"("idempotencyKey");

-- CreateIndex
CREATE INDEX "order_businessId_createdAt_idx" ON "order"("businessId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "order_businessId_status_createdAt_idx" ON "order"("businessId", "status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "order_contactId_status_idx" ON "order"("contactId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "order_id_businessId_key" ON "order"("id", "businessId");

-- CreateIndex
CREATE INDEX "order_item_orderId_idx" ON "order_item"("orderId");

-- CreateIndex
CREATE INDEX "order_item_productId_idx" ON "order_item"("productId");

-- AddForeignKey
ALTER TABLE "product" ADD CONSTRAINT "product_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_contactId_businessId_fkey" FOREIGN KEY ("contactId", "businessId") REFERENCES "contact"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_item" ADD CONSTRAINT "order_item_orderId_businessId_fkey" FOREIGN KEY ("orderId", "businessId") REFERENCES "order"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_item" ADD CONSTRAINT "order_item_productId_businessId_fkey" FOREIGN KEY ("productId", "businessId") REFERENCES "product"("id", "businessId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Amounts the domain never produces, refused by the database too (a stock taken below zero is a lost race).
ALTER TABLE "product" ADD CONSTRAINT "product_amounts_check" CHECK ("priceMinor" >= 0 AND ("stock" IS NULL OR "stock" >= 0));
ALTER TABLE "order_item" ADD CONSTRAINT "order_item_amounts_check" CHECK ("quantity" > 0 AND "unitPriceMinor" >= 0);
