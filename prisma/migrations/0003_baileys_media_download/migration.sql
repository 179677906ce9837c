-- CreateTable
CREATE TABLE "baileys_media_download" (
    "messageId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "instanceId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baileys_media_download_pkey" PRIMARY KEY ("messageId")
);

-- CreateIndex
CREATE INDEX "baileys_media_download_instanceId_nextAttemptAt_idx" ON "baileys_media_download"("instanceId", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "baileys_media_download" ADD CONSTRAINT "baileys_media_download_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
