-- CreateEnum
CREATE TYPE "ContactFieldType" AS ENUM ('TEXT', 'NUMBER', 'DATE', 'ENUM');

-- CreateEnum
CREATE TYPE "ContactFieldSetBy" AS ENUM ('AI', 'OPERATOR');

-- CreateTable
CREATE TABLE "contact_field" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" "ContactFieldType" NOT NULL,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "description" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contact_field_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_field_value" (
    "contactId" UUID NOT NULL,
    "fieldId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "textValue" TEXT,
    "numberValue" DOUBLE PRECISION,
    "dateValue" DATE,
    "setBy" "ContactFieldSetBy" NOT NULL,
    "setByUserId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contact_field_value_pkey" PRIMARY KEY ("contactId","fieldId")
);

-- CreateIndex
CREATE UNIQUE INDEX "contact_field_id_businessId_key" ON "contact_field"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "contact_field_businessId_key_key" ON "contact_field"("businessId", "key");

-- CreateIndex
CREATE INDEX "contact_field_value_fieldId_textValue_idx" ON "contact_field_value"("fieldId", "textValue");

-- CreateIndex
CREATE INDEX "contact_field_value_fieldId_numberValue_idx" ON "contact_field_value"("fieldId", "numberValue");

-- CreateIndex
CREATE INDEX "contact_field_value_fieldId_dateValue_idx" ON "contact_field_value"("fieldId", "dateValue");

-- AddForeignKey
ALTER TABLE "contact_field" ADD CONSTRAINT "contact_field_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_field_value" ADD CONSTRAINT "contact_field_value_contactId_businessId_fkey" FOREIGN KEY ("contactId", "businessId") REFERENCES "contact"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_field_value" ADD CONSTRAINT "contact_field_value_fieldId_businessId_fkey" FOREIGN KEY ("fieldId", "businessId") REFERENCES "contact_field"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;
