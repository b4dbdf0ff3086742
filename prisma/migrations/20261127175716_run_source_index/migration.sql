-- CreateIndex
CREATE INDEX "Run_source_startedAt_idx" ON "Run"("source", "startedAt");
