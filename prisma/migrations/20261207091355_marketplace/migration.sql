-- CreateTable
CREATE TABLE "ActionSetting" (
    "action" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "updatedBy" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionSetting_pkey" PRIMARY KEY ("action")
);

-- CreateTable
CREATE TABLE "ActionUsage" (
    "action" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DECIMAL(18,9) NOT NULL DEFAULT 0,
    "totalMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastAt" TIMESTAMP(3),

    CONSTRAINT "ActionUsage_pkey" PRIMARY KEY ("action","day")
);

-- CreateIndex
CREATE INDEX "ActionUsage_day_idx" ON "ActionUsage"("day");
