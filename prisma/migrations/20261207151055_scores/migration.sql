-- CreateEnum
CREATE TYPE "ScoreSource" AS ENUM ('human', 'judge', 'metric');

-- CreateTable
CREATE TABLE "Score" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" "ScoreSource" NOT NULL,
    "value" DOUBLE PRECISION,
    "label" TEXT,
    "comment" TEXT,
    "authorId" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Score_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnotationQueue" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "scoreNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnnotationQueue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnnotationQueueItem" (
    "id" TEXT NOT NULL,
    "queueId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "completedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnnotationQueueItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Score_runId_createdAt_idx" ON "Score"("runId", "createdAt");

-- CreateIndex
CREATE INDEX "Score_name_createdAt_idx" ON "Score"("name", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnnotationQueue_name_key" ON "AnnotationQueue"("name");

-- CreateIndex
CREATE INDEX "AnnotationQueueItem_queueId_status_createdAt_idx" ON "AnnotationQueueItem"("queueId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnnotationQueueItem_queueId_runId_key" ON "AnnotationQueueItem"("queueId", "runId");

-- AddForeignKey
ALTER TABLE "Score" ADD CONSTRAINT "Score_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationQueueItem" ADD CONSTRAINT "AnnotationQueueItem_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "AnnotationQueue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnotationQueueItem" ADD CONSTRAINT "AnnotationQueueItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
