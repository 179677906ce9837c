-- CreateTable
CREATE TABLE "agent_file" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "objectKey" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "triggerKeywords" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "triggerContext" TEXT NOT NULL DEFAULT '',
    "order" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_file_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meta_media_upload" (
    "instanceId" UUID NOT NULL,
    "objectKey" TEXT NOT NULL,
    "mediaId" TEXT NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "meta_media_upload_pkey" PRIMARY KEY ("instanceId","objectKey")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_file_objectKey_key" ON "agent_file"("objectKey");

-- CreateIndex
CREATE INDEX "agent_file_businessId_order_idx" ON "agent_file"("businessId", "order");

-- CreateIndex
CREATE UNIQUE INDEX "agent_file_businessId_title_key" ON "agent_file"("businessId", "title");

-- AddForeignKey
ALTER TABLE "agent_file" ADD CONSTRAINT "agent_file_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meta_media_upload" ADD CONSTRAINT "meta_media_upload_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
