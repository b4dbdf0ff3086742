-- AlterEnum
CREATE TYPE "UserRole_new" AS ENUM ('admin', 'maintainer', 'viewer');
ALTER TABLE "public"."User" ALTER COLUMN "role" DROP DEFAULT;
-- Members could change programs and launch optimizations: they become maintainers (nobody loses
-- what they could do); new accounts are viewers.
ALTER TABLE "User" ALTER COLUMN "role" TYPE "UserRole_new" USING ((CASE WHEN "role"::text = 'member' THEN 'maintainer' ELSE "role"::text END)::"UserRole_new");
ALTER TYPE "UserRole" RENAME TO "UserRole_old";
ALTER TYPE "UserRole_new" RENAME TO "UserRole";
DROP TYPE "public"."UserRole_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'viewer';

-- AlterTable
-- Existing keys get the new default, predict only (they could do everything before): a key used
-- for more is refused with 403 naming the scope it lacks until an administrator grants it.
ALTER TABLE "ApiKey" ADD COLUMN     "programs" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "scopes" TEXT[] DEFAULT ARRAY['predict']::TEXT[];

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "activatedAt" TIMESTAMP(3),
ADD COLUMN     "activatedBy" TEXT;

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'viewer';
