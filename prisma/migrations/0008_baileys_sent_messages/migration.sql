-- CreateTable
CREATE TABLE "baileys_sent_message" (
    "instanceId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "messageId" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baileys_sent_message_pkey" PRIMARY KEY ("instanceId","messageId")
);

-- CreateIndex
CREATE INDEX "baileys_sent_message_createdAt_idx" ON "baileys_sent_message"("createdAt");

-- AddForeignKey
ALTER TABLE "baileys_sent_message" ADD CONSTRAINT "baileys_sent_message_instanceId_businessId_fkey" FOREIGN KEY ("instanceId", "businessId") REFERENCES "instance"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;
