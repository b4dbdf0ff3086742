-- AlterTable
ALTER TABLE "LMCall" ADD COLUMN     "priceUnknown" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "refused" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "encryptedHeaders" TEXT,
ADD COLUMN     "models" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "modelsFetchedAt" TIMESTAMP(3);
