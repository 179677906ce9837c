-- CreateTable
CREATE TABLE "ai_reply_round" (
    "bufferId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "businessId" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "text" TEXT,
    "toolCalls" JSONB NOT NULL,
    "promptTokens" INTEGER NOT NULL,
    "completionTokens" INTEGER NOT NULL,
    "totalTokens" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_reply_round_pkey" PRIMARY KEY ("bufferId","round")
);

-- CreateTable
CREATE TABLE "ai_tool_call" (
    "idempotencyKey" TEXT NOT NULL,
    "bufferId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "callIndex" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "outcome" JSONB,
    "durationMs" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ai_tool_call_pkey" PRIMARY KEY ("idempotencyKey")
);

-- CreateTable
CREATE TABLE "reply_trace" (
    "bufferId" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "messageIds" UUID[],
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "prompt" JSONB NOT NULL,
    "modelCalls" JSONB NOT NULL,
    "toolCalls" JSONB NOT NULL,
    "promptTokens" INTEGER NOT NULL,
    "completionTokens" INTEGER NOT NULL,
    "totalTokens" INTEGER NOT NULL,
    "costUsd" DOUBLE PRECISION,
    "bufferWaitMs" INTEGER NOT NULL,
    "modelMs" INTEGER NOT NULL,
    "toolMs" INTEGER NOT NULL,
    "totalMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reply_trace_pkey" PRIMARY KEY ("bufferId")
);

-- CreateIndex
CREATE INDEX "ai_reply_round_createdAt_idx" ON "ai_reply_round"("createdAt");

-- CreateIndex
CREATE INDEX "ai_tool_call_bufferId_idx" ON "ai_tool_call"("bufferId");

-- CreateIndex
CREATE INDEX "ai_tool_call_startedAt_idx" ON "ai_tool_call"("startedAt");

-- CreateIndex
CREATE INDEX "reply_trace_businessId_conversationId_idx" ON "reply_trace"("businessId", "conversationId");

-- CreateIndex
CREATE INDEX "reply_trace_createdAt_idx" ON "reply_trace"("createdAt");

-- AddForeignKey
ALTER TABLE "ai_reply_round" ADD CONSTRAINT "ai_reply_round_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ai_tool_call" ADD CONSTRAINT "ai_tool_call_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reply_trace" ADD CONSTRAINT "reply_trace_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
