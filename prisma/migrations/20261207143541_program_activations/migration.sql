-- CreateTable
CREATE TABLE "ProgramActivation" (
    "id" TEXT NOT NULL,
    "programId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "previousVersionId" TEXT,
    "rollback" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProgramActivation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProgramActivation_programId_createdAt_idx" ON "ProgramActivation"("programId", "createdAt");

-- AddForeignKey
ALTER TABLE "ProgramActivation" ADD CONSTRAINT "ProgramActivation_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;
