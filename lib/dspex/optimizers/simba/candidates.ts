import type { Rng } from "../../random";
import type { Config, DemoSet, DemoValue, JsonValue, Variable, VariableSpace } from "../../variables";
import type { StepTrace } from "../step-traces";

/** The variables SIMBA may change, by step: searchable instructions and demo sets only. */
export interface SimbaTargets {
  /** Step -> the name of its searchable instructions variable. */
  readonly instructions: ReadonlyMap<string, string>;
  /** Step -> its searchable demo-set variable. */
  readonly demos: ReadonlyMap<string, Variable>;
}

export function simbaTargets(space: VariableSpace): SimbaTargets {
  const defaults = space.defaults();
  const instructions = new Map<string, string>();
  const demos = new Map<string, Variable>();
  for (const v of space.searchable()) {
    if (!space.isActive(v.name, defaults)) continue;
    if (v.target.kind === "instructions" && v.kind === "text") instructions.set(v.target.step, v.name);
    if (v.target.kind === "demos" && v.kind === "demos") demos.set(v.target.step, v);
  }
  return { instructions, demos };
}

/** A draw from a Poisson distribution with mean `lambda` (Knuth's method; lambda is small here). */
export function poisson(rng: Rng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > limit);
  return k - 1;
}

/**
 * Drops a few demos before a new candidate is built: Poisson(n / maxDemos) of them (at least one
 * once a step holds maxDemos), at positions drawn at random and removed from every step's set.
 */
export function dropDemos(config: Config, targets: SimbaTargets, rng: Rng, maxDemos: number): { config: Config; dropped: number } {
  const sets = [...targets.demos.values()].map((v) => demoSetOf(config, v.name));
  const count = Math.max(0, ...sets.map((s) => s.length));
  const cap = maxDemos > 0 ? maxDemos : 3;
  const wanted = Math.min(Math.max(poisson(rng, count / cap), count >= cap ? 1 : 0), count);
  if (wanted === 0) return { config, dropped: 0 };
  const positions = new Set(Array.from({ length: wanted }, () => rng.int(0, count - 1)));
  const next: Record<string, JsonValue> = { ...config };
  for (const v of targets.demos.values()) next[v.name] = demoSetOf(config, v.name).filter((_, i) => !positions.has(i));
  return { config: next, dropped: positions.size };
}

/**
 * One demo per step from a run: the step's inputs (each field cut to `maxLength` characters) and
 * outputs. A step called several times keeps its last call.
 */
export function trajectoryDemos(steps: readonly StepTrace[], maxLength: number): Map<string, DemoValue> {
  const out = new Map<string, DemoValue>();
  for (const s of steps) {
    const inputs = Object.fromEntries(Object.entries(s.inputs).map(([k, v]) => [k, truncate(toJson(v), maxLength)]));
    const outputs = Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, toJson(v)]));
    out.set(s.step, { ...inputs, ...outputs });
  }
  return out;
}

/** Appends each step's new demo to its set; the oldest demos go when a set would exceed its limit. */
export function appendDemos(config: Config, targets: SimbaTargets, demos: ReadonlyMap<string, DemoValue>): Config {
  const next: Record<string, JsonValue> = { ...config };
  for (const [step, demo] of demos) {
    const v = targets.demos.get(step);
    if (!v) continue;
    let set: DemoSet = [...demoSetOf(config, v.name), demo];
    while (set.length > 0 && !v.schema.safeParse(set).success) set = set.slice(1);
    next[v.name] = set;
  }
  return next;
}

/** Appends advice to each advised step's instructions, after a blank line. */
export function appendAdvice(config: Config, targets: SimbaTargets, advice: ReadonlyMap<string, string>): Config {
  const next: Record<string, JsonValue> = { ...config };
  for (const [step, text] of advice) {
    const name = targets.instructions.get(step);
    const tip = text.trim();
    if (!name || !tip) continue;
    const current = String(config[name] ?? "");
    next[name] = current ? `${current}\n\n${tip}` : tip;
  }
  return next;
}

function demoSetOf(config: Config, name: string): DemoSet {
  const value = config[name];
  return Array.isArray(value) ? (value as DemoSet) : [];
}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function truncate(value: JsonValue, maxLength: number): JsonValue {
  if (typeof value === "string") return value.length > maxLength ? `${value.slice(0, maxLength)}\n... (truncated)` : value;
  const text = JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}\n... (truncated)` : value;
}
