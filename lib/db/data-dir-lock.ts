import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { DatabaseError } from "./errors";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is a single in-process connection: two processes on one data directory would corrupt
 * it. A pid file refuses the second one; a file left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, "dspex.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number.parseInt(await readFile(file, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new DatabaseError(
          "DB_DATA_DIR_IN_USE",
          `DSPEX_DATA_DIR ${dataDir} is in use by process ${pid}; stop it first, or point DSPEX_DATA_DIR elsewhere`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DatabaseError("DB_DATA_DIR_IN_USE", `DSPEX_DATA_DIR ${dataDir}: could not take the lock file ${file}`);
}
