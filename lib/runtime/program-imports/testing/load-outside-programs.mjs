// A child process for tests: loads a programs folder the way the server and workers do
// (registerProgramImports, then loadProgramRegistry), from the compiled server (`dist`) or from
// the sources (`sources`, run under tsx), and prints one JSON line about what it loaded and
// whether the program shares the server's module instances.
//   node lib/runtime/programs/testing/load-outside-programs.mjs dist <programs dir> <file> [inputs JSON]
//   node --import tsx lib/runtime/programs/testing/load-outside-programs.mjs sources <programs dir> <file> [inputs JSON]
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";

const [mode, dir, file, inputs = '{"question":"What is DSPEx?"}'] = process.argv.slice(2);
const root = path.resolve(import.meta.dirname, "../../../..");
const from = (sub) => pathToFileURL(mode === "dist" ? path.join(root, "dist", `${sub}.js`) : path.join(root, `${sub}.ts`)).href;

const programs = await import(from("lib/runtime/programs/index"));
const dspex = await import(from("lib/dspex/index"));
const { registerProgramImports } = await import(from("lib/runtime/program-imports/index"));
registerProgramImports();
const registry = await programs.loadProgramRegistry({ dir, demos: false });
const loaded = await import(pathToFileURL(path.join(dir, file)).href);
const served = loaded.default;
const output = served ? await served.program.run(JSON.parse(inputs), dspex.createDemoLM({ latencyMs: 0 })) : undefined;
process.stdout.write(
  `${JSON.stringify({
    programs: registry.programs.map((p) => p.name),
    errors: registry.errors.map((e) => `${e.path}: ${e.message}`),
    sameZod: loaded.zod === z,
    samePredict: served?.program instanceof dspex.Predict,
    answered: output !== undefined && Object.keys(output).length > 0,
  })}\n`,
);
