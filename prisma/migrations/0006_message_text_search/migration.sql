-- Trigram matching for the inbox search. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
-- create it; the embedded database loads it at open (packages/db/src/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "message_text_trgm_idx" ON "message" USING GIN ("text" gin_trgm_ops);
