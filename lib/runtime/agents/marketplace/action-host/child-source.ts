// The process a skill package's actions run in (started by action-host.ts with Node's permission
// model, the network guard and a heap limit): it loads the package, describes its actions and
// skills, and runs calls sent over IPC: input checked with the action's own schema, a signal that
// aborts on cancel, a cost the action may report, output checked. Plain JavaScript in a string,
// run with --input-type=module -e: the package's process runs no loader, and the compiled server
// ships no .mjs files.   argv: <entry file> <zod entry file>
export const CHILD_SOURCE = String.raw`
import { pathToFileURL } from "node:url";

const [entry, zodPath] = process.argv.slice(1);
const send = (message) => process.send?.(message);
const describeError = (e) => (e instanceof Error ? e.message : String(e));
const isAction = (v) => v !== null && typeof v === "object" && typeof v.name === "string" && typeof v.run === "function" && typeof v.input === "object";
const listOf = (v) => (v === undefined ? [] : Array.isArray(v) ? v : typeof v === "object" && v !== null && !isAction(v) && !Array.isArray(v.actions) ? Object.values(v) : [v]);
const issues = (error) => error.issues.map((i) => (i.path.join(".") || "(input)") + ": " + i.message).join("; ");

const actions = new Map();
const skills = [];
const errors = [];
const inflight = new Map();

try {
  const { z } = await import(pathToFileURL(zodPath).href);
  const schema = (s) => {
    if (s === undefined) return null;
    try {
      return z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
    } catch (e) {
      errors.push("a schema cannot be described: " + describeError(e));
      return {};
    }
  };
  const mod = await import(pathToFileURL(entry).href);
  const add = (a, skill) => {
    if (!isAction(a)) return errors.push((skill ? 'skill "' + skill + '": ' : "") + 'something in "actions" is not { name, description, input, run }');
    if (actions.has(a.name)) return errors.push('two actions are named "' + a.name + '"');
    actions.set(a.name, a);
  };
  for (const s of listOf(mod.skills)) {
    if (s === null || typeof s !== "object" || typeof s.name !== "string") {
      errors.push("something in 'skills' is not { name, actions }");
      continue;
    }
    if (s.handlers && Object.keys(s.handlers).length > 0) errors.push('skill "' + s.name + '": message handlers are not available to skill packages (they would run with the agent\'s rights); publish actions');
    const names = [];
    for (const a of s.actions ?? []) {
      add(a, s.name);
      if (isAction(a)) names.push(a.name);
    }
    skills.push({ name: s.name, description: typeof s.description === "string" ? s.description : "", actions: names });
  }
  for (const a of listOf(mod.actions)) add(a);
  send({
    type: "ready",
    actions: [...actions.values()].map((a) => ({
      name: a.name,
      description: typeof a.description === "string" ? a.description : "",
      input: schema(a.input),
      output: schema(a.output),
      timeoutMs: typeof a.timeoutMs === "number" ? a.timeoutMs : typeof a.limits?.timeoutMs === "number" ? a.limits.timeoutMs : null,
      maxCostUsd: typeof a.limits?.maxCostUsd === "number" ? a.limits.maxCostUsd : null,
    })),
    skills,
    errors,
  });
} catch (e) {
  send({ type: "ready", actions: [], skills: [], errors: ["cannot be loaded: " + describeError(e)] });
}

process.on("message", async (message) => {
  if (message?.type === "cancel") return inflight.get(message.id)?.abort(new Error("cancelled: the caller stopped waiting"));
  if (message?.type !== "call") return;
  const { id, name, input } = message;
  const action = actions.get(name);
  if (!action) return send({ type: "result", id, ok: false, error: 'no action "' + name + '" in this package', costUsd: 0 });
  const parsed = action.input.safeParse(input);
  if (!parsed.success) return send({ type: "result", id, ok: false, error: "invalid input for " + name + ": " + issues(parsed.error), costUsd: 0 });
  const controller = new AbortController();
  inflight.set(id, controller);
  let costUsd = 0;
  try {
    const value = await action.run(parsed.data, { signal: controller.signal, reportCost: (usd) => (costUsd += Math.max(0, Number(usd) || 0)) });
    const out = action.output ? action.output.safeParse(value) : { success: true, data: value };
    if (!out.success) send({ type: "result", id, ok: false, error: name + " returned an invalid result: " + issues(out.error), costUsd });
    else send({ type: "result", id, ok: true, value: out.data === undefined ? null : out.data, costUsd });
  } catch (e) {
    send({ type: "result", id, ok: false, error: describeError(e), costUsd });
  } finally {
    inflight.delete(id);
  }
});
`;
