-- CreateEnum
CREATE TYPE "AppointmentStatus" AS ENUM ('PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW');

-- CreateTable
CREATE TABLE "bookable_service" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "priceMinor" INTEGER,
    "currency" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bookable_service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "availability_rule" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "weekday" INTEGER NOT NULL,
    "startMinute" INTEGER NOT NULL,
    "endMinute" INTEGER NOT NULL,

    CONSTRAINT "availability_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "blocked_range" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blocked_range_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "booking_settings" (
    "businessId" UUID NOT NULL,
    "slotStepMinutes" INTEGER NOT NULL DEFAULT 30,
    "reminderMinutesBefore" INTEGER[] DEFAULT ARRAY[1440, 60]::INTEGER[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "booking_settings_pkey" PRIMARY KEY ("businessId")
);

-- CreateTable
CREATE TABLE "appointment" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'PENDING',
    "notes" TEXT,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "appointment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointment_reminder" (
    "id" UUID NOT NULL,
    "businessId" UUID NOT NULL,
    "appointmentId" UUID NOT NULL,
    "minutesBefore" INTEGER NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "appointment_reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bookable_service_id_businessId_key" ON "bookable_service"("id", "businessId");

-- CreateIndex
CREATE UNIQUE INDEX "bookable_service_businessId_name_key" ON "bookable_service"("businessId", "name");

-- CreateIndex
CREATE INDEX "availability_rule_businessId_weekday_idx" ON "availability_rule"("businessId", "weekday");

-- CreateIndex
CREATE INDEX "blocked_range_businessId_startsAt_idx" ON "blocked_range"("businessId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "appointment_idempotencyKey_key" ON "appointment"("idempotencyKey");

-- CreateIndex
CREATE INDEX "appointment_businessId_startsAt_idx" ON "appointment"("businessId", "startsAt");

-- CreateIndex
CREATE INDEX "appointment_contactId_idx" ON "appointment"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "appointment_id_businessId_key" ON "appointment"("id", "businessId");

-- CreateIndex
CREATE INDEX "appointment_reminder_dueAt_idx" ON "appointment_reminder"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "appointment_reminder_appointmentId_minutesBefore_key" ON "appointment_reminder"("appointmentId", "minutesBefore");

-- AddForeignKey
ALTER TABLE "bookable_service" ADD CONSTRAINT "bookable_service_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "availability_rule" ADD CONSTRAINT "availability_rule_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "blocked_range" ADD CONSTRAINT "blocked_range_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_settings" ADD CONSTRAINT "booking_settings_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_contactId_businessId_fkey" FOREIGN KEY ("contactId", "businessId") REFERENCES "contact"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment" ADD CONSTRAINT "appointment_serviceId_businessId_fkey" FOREIGN KEY ("serviceId", "businessId") REFERENCES "bookable_service"("id", "businessId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment_reminder" ADD CONSTRAINT "appointment_reminder_businessId_fkey" FOREIGN KEY ("businessId") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointment_reminder" ADD CONSTRAINT "appointment_reminder_appointmentId_businessId_fkey" FOREIGN KEY ("appointmentId", "businessId") REFERENCES "appointment"("id", "businessId") ON DELETE CASCADE ON UPDATE CASCADE;

-- No double booking, decided by the database (ADR 0022): two appointments of one business that hold their time
-- (every status but CANCELLED) may not overlap; [startsAt, endsAt) so back-to-back appointments are fine. btree_gist
-- lets the GiST index compare the uuid with `=`; it is a trusted extension (PostgreSQL 13+), and the embedded
-- database loads it at open (packages/db/src/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "appointment" ADD CONSTRAINT "appointment_no_overlap"
    EXCLUDE USING gist ("businessId" WITH =, tstzrange("startsAt", "endsAt", '[)') WITH &&)
    WHERE ("status" <> 'CANCELLED');

ALTER TABLE "appointment" ADD CONSTRAINT "appointment_ends_after_start" CHECK ("endsAt" > "startsAt");
ALTER TABLE "availability_rule" ADD CONSTRAINT "availability_rule_range" CHECK ("weekday" BETWEEN 0 AND 6 AND "startMinute" >= 0 AND "endMinute" <= 1440 AND "startMinute" < "endMinute");
ALTER TABLE "blocked_range" ADD CONSTRAINT "blocked_range_ends_after_start" CHECK ("endsAt" > "startsAt");
ALTER TABLE "bookable_service" ADD CONSTRAINT "bookable_service_duration" CHECK ("durationMinutes" > 0);
