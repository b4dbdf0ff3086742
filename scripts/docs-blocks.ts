// The code blocks of the guides (docs/**/*.md) and the README, as the docs test runs them.
//
// What a block is decides what the test does with it:
// - ts / js: a script, run with Node (and tsx) in a folder outside the repository whose packages are
//   only `dspex` (this package, built) and `zod`. A script whose first line is a comment naming a
//   file (`// my-app/programs/summarize.ts`) is written there first, then run: later blocks use it.
// - sh / bash: run by bash (-e, -u, pipefail) in the guide's folder, with `dspex` on the PATH.
// - json: parsed.
// - anything else, and any block that cannot run on a bare machine, carries a marker on the line
//   just above its fence saying why: `<!-- not run: needs Docker; ... -->`. A block without a
//   runnable language and without that marker fails the test, as does a marker with no reason.
// - `<!-- run against: openai anthropic -->` above a block runs it with local stand-in providers
//   (lib/testing) behind OPENAI_BASE_URL / ANTHROPIC_BASE_URL, and placeholder keys.
import { readFileSync } from "node:fs";

export type BlockKind = "script" | "shell" | "json" | "other";

export interface DocBlock {
  /** The Markdown file, as given. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly kind: BlockKind;
  readonly code: string;
  /** The reason given by a `not run` marker; "" when the marker gives none. */
  readonly notRun?: string;
  /** Stand-in providers the block runs against. */
  readonly runAgainst: readonly ("openai" | "anthropic")[];
  /** Where a script block is written first (relative to the guide's folder). */
  readonly writeTo?: string;
}

const KINDS: Readonly<Record<string, BlockKind>> = {
  ts: "script",
  typescript: "script",
  js: "script",
  javascript: "script",
  mjs: "script",
  sh: "shell",
  bash: "shell",
  shell: "shell",
  json: "json",
};

const NOT_RUN = /^<!--\s*not run\s*:?\s*(.*?)\s*-->$/i;
const RUN_AGAINST = /^<!--\s*run against\s*:\s*(.*?)\s*-->$/i;
const FILE_COMMENT = /^\/\/\s*([\w./-]+\.(?:ts|mts|js|mjs))\s*$/;

/** Every fenced block of a Markdown text, with its marker. */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const lang = open[3]!.toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!);
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: a code block that is never closed`);

    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const above = k >= 0 ? lines[k]!.trim() : "";
    const notRun = NOT_RUN.exec(above);
    const against = RUN_AGAINST.exec(above);
    const runAgainst = against
      ? against[1]!.split(/[\s,]+/).filter(Boolean).map((name) => {
          if (name !== "openai" && name !== "anthropic") throw new Error(`${file}:${k + 1}: unknown stand-in "${name}" (openai or anthropic)`);
          return name;
        })
      : [];
    const kind = KINDS[lang] ?? "other";
    const code = body.join("\n");
    const fileComment = kind === "script" ? FILE_COMMENT.exec(body[0]?.trim() ?? "") : null;
    blocks.push({
      file,
      line: i + 1,
      lang,
      kind,
      code,
      ...(notRun && { notRun: notRun[1]! }),
      runAgainst,
      ...(fileComment && { writeTo: fileComment[1]! }),
    });
    i = j;
  }
  return blocks;
}

export function readBlocks(file: string): DocBlock[] {
  return extractBlocks(file, readFileSync(file, "utf8"));
}

/** Why a block can be neither run nor skipped, or null when it is fine. */
export function blockProblem(block: DocBlock): string | null {
  if (block.notRun !== undefined) {
    return block.notRun.length < 8 ? `${block.file}:${block.line}: a "not run" marker must say why the block is not run` : null;
  }
  if (block.kind === "other") {
    return `${block.file}:${block.line}: a block in "${block.lang || "no language"}" cannot be run: give it a runnable language (ts, js, sh, bash, json) or mark it <!-- not run: why -->`;
  }
  if (block.writeTo && (block.writeTo.startsWith("/") || block.writeTo.split("/").includes(".."))) {
    return `${block.file}:${block.line}: a block's file must be inside the guide's folder (${block.writeTo})`;
  }
  return null;
}
