-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "sessionId" TEXT,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "userId" TEXT;

-- CreateTable
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SavedView_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_name_key" ON "SavedView"("name");

-- CreateIndex
CREATE INDEX "Run_userId_startedAt_idx" ON "Run"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "Run_sessionId_startedAt_idx" ON "Run"("sessionId", "startedAt");

-- CreateIndex
CREATE INDEX "Run_tags_idx" ON "Run" USING GIN ("tags");

-- Full-text search over runs (not expressible in schema.prisma; the store's RUN_SEARCH_VECTOR repeats this expression exactly)
CREATE INDEX "Run_search_idx" ON "Run" USING GIN ((jsonb_to_tsvector('simple'::regconfig, COALESCE("input", '{}'::jsonb), '["string", "numeric"]'::jsonb) || jsonb_to_tsvector('simple'::regconfig, COALESCE("output", '{}'::jsonb), '["string", "numeric"]'::jsonb) || to_tsvector('simple'::regconfig, COALESCE("error", ''))));
