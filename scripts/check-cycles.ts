// npm run lint: fails when the sources hold an import cycle between files (value imports) or
// between folders (any import). See scripts/import-cycles.ts for what counts.
import path from "node:path";
import { edgesBetween, findCycles, importGraph } from "./import-cycles";

const root = path.resolve(import.meta.dirname, "..");
/** What ships: the server, its libraries, pages and components (tests, benches, e2e and scripts are left out). */
const shipped = (p: string) => p === "server.ts" || /^(lib|app|components)\//.test(p);

const graph = importGraph(path.join(root, "tsconfig.json"), shipped);
const { files, folders } = findCycles(graph, root);
for (const group of files) console.error(`import cycle through value imports between files:\n  ${group.join("\n  ")}`);
for (const group of folders) {
  console.error(`import cycle between folders ${group.join(", ")}:`);
  for (const from of group) for (const to of group) if (from !== to) for (const edge of edgesBetween(graph, root, from, to)) console.error(`  ${edge}`);
}
if (files.length || folders.length) {
  console.error("import cycles: break each one (move the shared piece below both, or pass it in from above)");
  process.exit(1);
}
console.log(`import cycles: none (${graph.size} modules)`);
