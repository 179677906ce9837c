-- CreateTable
CREATE TABLE "pubsub_retry" (
    "subscriber" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "droppedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pubsub_retry_pkey" PRIMARY KEY ("subscriber","topic","eventId")
);

-- CreateIndex
CREATE INDEX "pubsub_retry_droppedAt_nextAttemptAt_idx" ON "pubsub_retry"("droppedAt", "nextAttemptAt");
