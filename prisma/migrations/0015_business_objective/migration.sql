-- CreateEnum
CREATE TYPE "BusinessObjective" AS ENUM ('SALES', 'APPOINTMENTS');

-- AlterTable
ALTER TABLE "business" ADD COLUMN     "objective" "BusinessObjective" NOT NULL DEFAULT 'SALES';
