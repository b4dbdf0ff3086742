-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "rateLimitPerMinute" INTEGER;

-- AlterTable
ALTER TABLE "LMCall" ADD COLUMN     "adapter" TEXT,
ADD COLUMN     "attempt" INTEGER;

-- AlterTable
ALTER TABLE "Optimization" ADD COLUMN     "estimate" JSONB,
ADD COLUMN     "jobId" TEXT,
ADD COLUMN     "report" JSONB,
ADD COLUMN     "spentSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "usage" JSONB;

-- AlterTable
ALTER TABLE "Span" ADD COLUMN     "inputs" JSONB,
ADD COLUMN     "outputs" JSONB,
ADD COLUMN     "path" TEXT;

-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "error" TEXT,
ADD COLUMN     "meta" JSONB,
ADD COLUMN     "result" JSONB,
ADD COLUMN     "set" TEXT NOT NULL DEFAULT 'val',
ADD COLUMN     "values" JSONB;

-- CreateTable
CREATE TABLE "OptimizationJournal" (
    "optimizationId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptimizationJournal_pkey" PRIMARY KEY ("optimizationId","key")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "payload" JSONB NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "progress" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SpendLedger" (
    "scope" "BudgetScope" NOT NULL,
    "scopeId" TEXT NOT NULL,
    "period" "BudgetPeriod" NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "spentUsd" DECIMAL(18,9) NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SpendLedger_pkey" PRIMARY KEY ("scope","scopeId","period","windowStart")
);

-- CreateIndex
CREATE INDEX "Job_status_runAt_idx" ON "Job"("status", "runAt");

-- CreateIndex
CREATE INDEX "Job_kind_createdAt_idx" ON "Job"("kind", "createdAt");

-- AddForeignKey
ALTER TABLE "OptimizationJournal" ADD CONSTRAINT "OptimizationJournal_optimizationId_fkey" FOREIGN KEY ("optimizationId") REFERENCES "Optimization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
