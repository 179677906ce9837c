-- AlterTable
ALTER TABLE "instance" ADD COLUMN     "overCapacitySince" TIMESTAMP(3);
