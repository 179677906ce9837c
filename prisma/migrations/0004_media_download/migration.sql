-- Baileys' media download queue becomes the queue of every provider that downloads media (Cloud API too).
-- Renamed, not recreated: rows pending at upgrade time are kept and belong to Baileys.
ALTER TABLE "baileys_media_download" RENAME TO "media_download";
ALTER TABLE "media_download" RENAME CONSTRAINT "baileys_media_download_pkey" TO "media_download_pkey";
ALTER TABLE "media_download" RENAME CONSTRAINT "baileys_media_download_instanceId_fkey" TO "media_download_instanceId_fkey";
ALTER INDEX "baileys_media_download_instanceId_nextAttemptAt_idx" RENAME TO "media_download_instanceId_nextAttemptAt_idx";

-- AlterTable
ALTER TABLE "media_download" ADD COLUMN "provider" "Provider" NOT NULL DEFAULT 'BAILEYS';
ALTER TABLE "media_download" ALTER COLUMN "provider" DROP DEFAULT;
ALTER TABLE "media_download" ADD COLUMN "lockedUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "media_download_provider_nextAttemptAt_idx" ON "media_download"("provider", "nextAttemptAt");
