// Backups of the database: the embedded one as PGlite's own archive of its data directory (taken
// under the data directory's lock, so never while a server writes to it), PostgreSQL with its own
// tools (pg_dump's custom format, restored by pg_restore).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./data-dir-lock";
import { DatabaseError } from "./errors";

export interface BackupTarget {
  readonly url?: string;
  readonly dataDir: string;
}

export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  if (target.url) return runTool("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, target.url]);
  const unlock = await lockDataDir(target.dataDir);
  try {
    const dir = path.join(target.dataDir, "pglite");
    if (!existsSync(dir)) throw new DatabaseError("DB_BACKUP_FAILED", `no embedded database in ${target.dataDir} to back up`);
    const db = await PGlite.create(dir);
    try {
      const archive = await db.dumpDataDir("gzip");
      await writeFile(file, Buffer.from(await archive.arrayBuffer()));
    } finally {
      await db.close();
    }
  } finally {
    await unlock();
  }
}

/** Restores into an empty embedded data directory (or, with a URL, into that PostgreSQL database). */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<void> {
  if (target.url) return runTool("pg_restore", ["--clean", "--if-exists", "--no-owner", `--dbname=${target.url}`, file]);
  const unlock = await lockDataDir(target.dataDir);
  try {
    const dir = path.join(target.dataDir, "pglite");
    if (existsSync(dir)) throw new DatabaseError("DB_BACKUP_FAILED", `${target.dataDir} already holds a database; restore into an empty data directory (DSPEX_DATA_DIR)`);
    const archive = new Blob([await readFile(file)]);
    const db = await PGlite.create({ dataDir: dir, loadDataDir: archive });
    await db.close();
  } finally {
    await unlock();
  }
}

function runTool(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", (err: NodeJS.ErrnoException) =>
      reject(new DatabaseError("DB_BACKUP_FAILED", err.code === "ENOENT" ? `${tool} is not installed (it comes with PostgreSQL's client tools)` : err.message)),
    );
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new DatabaseError("DB_BACKUP_FAILED", `${tool} failed (exit ${code}): ${stderr.trim()}`))));
  });
}
