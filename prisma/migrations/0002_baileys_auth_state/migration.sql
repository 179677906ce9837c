-- CreateTable
CREATE TABLE "baileys_auth_key" (
    "instanceId" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baileys_auth_key_pkey" PRIMARY KEY ("instanceId","category","keyId")
);

-- CreateTable
CREATE TABLE "baileys_session_lease" (
    "instanceId" UUID NOT NULL,
    "holder" TEXT NOT NULL,
    "token" BIGINT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baileys_session_lease_pkey" PRIMARY KEY ("instanceId")
);

-- AddForeignKey
ALTER TABLE "baileys_auth_key" ADD CONSTRAINT "baileys_auth_key_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "baileys_session_lease" ADD CONSTRAINT "baileys_session_lease_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
