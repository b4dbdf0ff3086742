-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "programName" TEXT NOT NULL,
    "datasetVersionId" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "versionIds" TEXT[],
    "status" TEXT NOT NULL DEFAULT 'queued',
    "error" TEXT,
    "examples" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentResult" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "exampleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "input" JSONB NOT NULL,
    "expected" JSONB,
    "output" JSONB,
    "score" DOUBLE PRECISION,
    "error" TEXT,
    "runId" TEXT,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ExperimentResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Experiment_createdAt_idx" ON "Experiment"("createdAt");

-- CreateIndex
CREATE INDEX "Experiment_programName_createdAt_idx" ON "Experiment"("programName", "createdAt");

-- CreateIndex
CREATE INDEX "ExperimentResult_experimentId_position_idx" ON "ExperimentResult"("experimentId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentResult_experimentId_versionId_exampleId_key" ON "ExperimentResult"("experimentId", "versionId", "exampleId");

-- AddForeignKey
ALTER TABLE "ExperimentResult" ADD CONSTRAINT "ExperimentResult_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
