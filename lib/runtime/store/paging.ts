import type { Page, PageParams } from "../../schemas/pagination";
import type { PrismaClient, Prisma } from "../../db";

/**
 * One page of a list: the items and the total count, read in one transaction so they agree.
 * `find` gets skip/take for the page; `count` counts the same filter.
 */
export async function readPage<Row, T>(
  prisma: PrismaClient,
  query: PageParams,
  find: (window: { skip: number; take: number }) => Prisma.PrismaPromise<Row[]>,
  count: () => Prisma.PrismaPromise<number>,
  toItem: (row: Row) => T,
): Promise<Page<T>> {
  const [rows, total] = await prisma.$transaction([find({ skip: (query.page - 1) * query.limit, take: query.limit }), count()]);
  return { items: rows.map(toItem), total, page: query.page, limit: query.limit };
}
