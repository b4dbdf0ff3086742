import type { PrismaClient } from "../../db";

export interface EntityCounts {
  programs: number;
  versions: number;
  datasets: number;
  runs: number;
  lmCalls: number;
  optimizations: number;
  agents: number;
  apiKeys: number;
  budgets: number;
  prices: number;
  users: number;
}

/** How many of each thing the database holds, read in one transaction. */
export async function entityCounts(prisma: PrismaClient): Promise<EntityCounts> {
  const [programs, versions, datasets, runs, lmCalls, optimizations, agents, apiKeys, budgets, prices, users] = await prisma.$transaction([
    prisma.program.count(),
    prisma.programVersion.count(),
    prisma.dataset.count(),
    prisma.run.count(),
    prisma.lMCall.count(),
    prisma.optimization.count(),
    prisma.agent.count(),
    prisma.apiKey.count({ where: { revokedAt: null } }),
    prisma.budget.count(),
    prisma.modelPrice.count(),
    prisma.user.count(),
  ]);
  return { programs, versions, datasets, runs, lmCalls, optimizations, agents, apiKeys, budgets, prices, users };
}
