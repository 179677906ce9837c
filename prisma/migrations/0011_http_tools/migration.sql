-- CreateTable
CREATE TABLE "http_tool" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "method" TEXT NOT NULL DEFAULT 'POST',
    "url" TEXT NOT NULL,
    "headerNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "encryptedHeaders" TEXT,
    "bodyTemplate" TEXT,
    "timeoutMs" INTEGER NOT NULL DEFAULT 10000,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "http_tool_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "http_tool_businessId_name_key" ON "http_tool"("businessId", "name");

-- AddForeignKey
ALTER TABLE "http_tool" ADD CONSTRAINT "http_tool_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
