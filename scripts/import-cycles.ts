// Import cycles in the project's sources, read with the TypeScript parser (no type check):
// - between files through value imports (a module that runs before its dependency has loaded
//   sees undefined exports; type-only imports and lazy import() do not count), and
// - between folders (lib/<folder>, app, components, ...) through any import, so each layer
//   depends on the ones below it only.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportEdge {
  readonly to: string;
  /** `import type` / `export type`, or every named binding marked `type`. */
  readonly typeOnly: boolean;
  /** `import("...")`: loaded when called, not when the module loads. */
  readonly lazy: boolean;
}

export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** Test files, test helpers and generated code are left out: only what ships is checked. */
const SKIPPED = /\.test\.tsx?$|\/testing\/|\/lib\/db\/generated\//;

/** The project's own modules and what each imports (absolute paths), from a tsconfig. */
export function importGraph(tsconfigPath: string, include: (relativePath: string) => boolean): ImportGraph {
  const root = path.dirname(path.resolve(tsconfigPath));
  const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(tsconfigPath), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error(`${tsconfigPath} could not be read`);
  const files = parsed.fileNames.filter((f) => !SKIPPED.test(f) && include(path.relative(root, f)));
  const graph = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
    const edges: ImportEdge[] = [];
    const add = (specifier: string, typeOnly: boolean, lazy: boolean) => {
      const resolved = ts.resolveModuleName(specifier, file, parsed.options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport || !resolved.resolvedFileName.startsWith(root + path.sep)) return;
      edges.push({ to: resolved.resolvedFileName, typeOnly, lazy });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
        const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
        add(node.moduleSpecifier.text, typeOnly, false);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
        add(node.moduleSpecifier.text, node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)), false);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
        add(node.arguments[0].text, false, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    graph.set(file, edges);
  }
  return graph;
}

/** Strongly connected groups of more than one node (Tarjan), each in a stable order. */
export function cycles(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) found.push(group.sort());
  };
  for (const n of nodes) if (!index.has(n)) connect(n);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The folder a file belongs to for the layering check: lib/<name> under lib, else the top folder (or the file). */
export function folderOf(relativePath: string): string {
  const parts = relativePath.split(path.sep);
  return parts[0] === "lib" && parts.length > 2 ? `lib/${parts[1]}` : parts.length > 1 ? parts[0]! : relativePath;
}

export interface CycleReport {
  /** Files that import each other through value imports, relative to the root. */
  readonly files: string[][];
  /** Folders that import each other (any import). */
  readonly folders: string[][];
}

export function findCycles(graph: ImportGraph, root: string): CycleReport {
  const rel = (f: string) => path.relative(root, f);
  const valueNext = (f: string) => (graph.get(f) ?? []).filter((e) => !e.typeOnly && !e.lazy && graph.has(e.to)).map((e) => e.to);
  const files = cycles(graph.keys(), valueNext).map((group) => group.map(rel));
  const folderEdges = new Map<string, Set<string>>();
  for (const [file, edges] of graph) {
    const from = folderOf(rel(file));
    for (const e of edges) {
      const to = folderOf(rel(e.to));
      if (from === to) continue;
      if (!folderEdges.has(from)) folderEdges.set(from, new Set());
      folderEdges.get(from)!.add(to);
    }
  }
  const folders = cycles(folderEdges.keys(), (f) => folderEdges.get(f) ?? []);
  return { files, folders };
}

/** For a report: which imports of one folder reach the other (the edges to cut). */
export function edgesBetween(graph: ImportGraph, root: string, from: string, to: string): string[] {
  const out: string[] = [];
  for (const [file, edges] of graph) {
    if (folderOf(path.relative(root, file)) !== from) continue;
    for (const e of edges) if (folderOf(path.relative(root, e.to)) === to) out.push(`${path.relative(root, file)} -> ${path.relative(root, e.to)}`);
  }
  return out;
}
