-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('OWNER', 'AGENT', 'SUPER_ADMIN');

-- CreateEnum
CREATE TYPE "Provider" AS ENUM ('META', 'BAILEYS', 'SANDBOX');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('INBOUND', 'OUTBOUND');

-- CreateEnum
CREATE TYPE "MessageAuthor" AS ENUM ('CUSTOMER', 'AI', 'OPERATOR', 'SYSTEM');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('RECEIVED', 'PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'PLAYED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EventSeverity" AS ENUM ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL');

-- CreateTable
CREATE TABLE "business" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "botEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "business_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL DEFAULT 'OWNER',
    "emailVerifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_token" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "familyId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_verification_token" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_verification_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instance" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "provider" "Provider" NOT NULL,
    "name" TEXT NOT NULL,
    "phoneNumberId" TEXT,
    "wabaId" TEXT,
    "encryptedCredentials" TEXT,
    "slot" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "phone" TEXT,
    "waUserId" TEXT,
    "lid" TEXT,
    "name" TEXT,
    "botDisabled" BOOLEAN NOT NULL DEFAULT false,
    "botDisabledUntil" TIMESTAMP(3),
    "customFields" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "instanceId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "lastInboundAt" TIMESTAMP(3),
    "lastMessageAt" TIMESTAMP(3),
    "lastMessagePreview" TEXT,
    "unreadCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "instanceId" UUID NOT NULL,
    "direction" "MessageDirection" NOT NULL,
    "author" "MessageAuthor" NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "content" JSONB NOT NULL DEFAULT '{}',
    "providerMessageId" TEXT,
    "idempotencyKey" TEXT,
    "status" "MessageStatus" NOT NULL,
    "sendAttempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "statusAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_buffer" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "messageIds" TEXT[],
    "firstMessageAt" TIMESTAMP(3) NOT NULL,
    "lastMessageAt" TIMESTAMP(3) NOT NULL,
    "processingUntil" TIMESTAMP(3),
    "retryCount" INTEGER NOT NULL DEFAULT 0,
    "failedAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "message_buffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_config" (
    "businessId" UUID NOT NULL,
    "systemPrompt" TEXT NOT NULL DEFAULT 'You are a helpful assistant for this business. Answer briefly and kindly.',
    "model" TEXT NOT NULL DEFAULT 'gpt-4o-mini',
    "bufferSeconds" INTEGER NOT NULL DEFAULT 5,
    "maxBufferSeconds" INTEGER NOT NULL DEFAULT 30,
    "historyLimit" INTEGER NOT NULL DEFAULT 20,
    "handoffMinutes" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_config_pkey" PRIMARY KEY ("businessId")
);

-- CreateTable
CREATE TABLE "token_usage" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "feature" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL,
    "completionTokens" INTEGER NOT NULL,
    "totalTokens" INTEGER NOT NULL,
    "sourceId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "token_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "system_event" (
    "id" UUID NOT NULL,
    "businessId" UUID,
    "severity" "EventSeverity" NOT NULL,
    "source" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "system_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_delivery" (
    "eventId" BIGINT NOT NULL,
    "subscriber" TEXT NOT NULL,
    "key" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "droppedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "outbox_delivery_pkey" PRIMARY KEY ("eventId","subscriber")
);

-- CreateTable
CREATE TABLE "outbox_subscriber" (
    "subscriber" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_subscriber_pkey" PRIMARY KEY ("subscriber","topic")
);

-- CreateTable
CREATE TABLE "actor_state" (
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "actor_state_pkey" PRIMARY KEY ("actorType","actorId","key")
);

-- CreateTable
CREATE TABLE "actor_reminder" (
    "actorType" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "periodMs" INTEGER,
    "data" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "actor_reminder_pkey" PRIMARY KEY ("actorType","actorId","name")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE INDEX "user_businessId_idx" ON "user"("businessId");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_token_tokenHash_key" ON "refresh_token"("tokenHash");

-- CreateIndex
CREATE INDEX "refresh_token_familyId_idx" ON "refresh_token"("familyId");

-- CreateIndex
CREATE UNIQUE INDEX "email_verification_token_tokenHash_key" ON "email_verification_token"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "instance_phoneNumberId_key" ON "instance"("phoneNumberId");

-- CreateIndex
CREATE UNIQUE INDEX "instance_slot_key" ON "instance"("slot");

-- CreateIndex
CREATE INDEX "instance_businessId_idx" ON "instance"("businessId");

-- CreateIndex
CREATE UNIQUE INDEX "instance_id_businessId_key" ON "instance"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "contact_id_businessId_key" ON "contact"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "contact_businessId_phone_key" ON "contact"("businessId", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "contact_businessId_waUserId_key" ON "contact"("businessId", "waUserId");

-- CreateIndex
CREATE UNIQUE INDEX "contact_businessId_lid_key" ON "contact"("businessId", "lid");

-- CreateIndex
CREATE INDEX "conversation_businessId_lastMessageAt_idx" ON "conversation"("businessId", "lastMessageAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "conversation_id_businessId_key" ON "conversation"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_instanceId_contactId_key" ON "conversation"("instanceId", "contactId");

-- CreateIndex
CREATE UNIQUE INDEX "message_idempotencyKey_key" ON "message"("idempotencyKey");

-- CreateIndex
CREATE INDEX "message_conversationId_sentAt_idx" ON "message"("conversationId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "message_instanceId_providerMessageId_key" ON "message"("instanceId", "providerMessageId");

-- CreateIndex
CREATE INDEX "message_buffer_businessId_failedAt_idx" ON "message_buffer"("businessId", "failedAt");

-- CreateIndex
CREATE INDEX "token_usage_businessId_createdAt_idx" ON "token_usage"("businessId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "token_usage_feature_sourceId_key" ON "token_usage"("feature", "sourceId");

-- CreateIndex
CREATE INDEX "system_event_createdAt_idx" ON "system_event"("createdAt");

-- CreateIndex
CREATE INDEX "system_event_severity_createdAt_idx" ON "system_event"("severity", "createdAt");

-- CreateIndex
CREATE INDEX "outbox_event_topic_id_idx" ON "outbox_event"("topic", "id");

-- CreateIndex
CREATE INDEX "outbox_delivery_subscriber_droppedAt_nextAttemptAt_eventId_idx" ON "outbox_delivery"("subscriber", "droppedAt", "nextAttemptAt", "eventId");

-- CreateIndex
CREATE INDEX "outbox_delivery_subscriber_key_eventId_idx" ON "outbox_delivery"("subscriber", "key", "eventId");

-- CreateIndex
CREATE INDEX "outbox_subscriber_topic_idx" ON "outbox_subscriber"("topic");

-- CreateIndex
CREATE INDEX "actor_reminder_dueAt_idx" ON "actor_reminder"("dueAt");

-- AddForeignKey
ALTER TABLE "user" ADD CONSTRAINT "user_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_verification_token" ADD CONSTRAINT "email_verification_token_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance" ADD CONSTRAINT "instance_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_instanceId_businessId_fkey" FOREIGN KEY ("instanceId", "businessId") REFERENCES "instance"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_contactId_businessId_fkey" FOREIGN KEY ("contactId", "businessId") REFERENCES "contact"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_conversationId_businessId_fkey" FOREIGN KEY ("conversationId", "businessId") REFERENCES "conversation"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_buffer" ADD CONSTRAINT "message_buffer_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_buffer" ADD CONSTRAINT "message_buffer_conversationId_businessId_fkey" FOREIGN KEY ("conversationId", "businessId") REFERENCES "conversation"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_config" ADD CONSTRAINT "agent_config_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "token_usage" ADD CONSTRAINT "token_usage_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "system_event" ADD CONSTRAINT "system_event_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_delivery" ADD CONSTRAINT "outbox_delivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "outbox_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;
