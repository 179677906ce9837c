-- AlterTable
ALTER TABLE "instance" ADD COLUMN     "baileysSettings" JSONB,
ADD COLUMN     "sessionRequestedAt" TIMESTAMP(3);
