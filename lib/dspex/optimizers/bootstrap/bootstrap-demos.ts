import type { LMSettings } from "../../lm/types";
import type { Rng } from "../../random";
import { jsonKey, type Config, type DemoValue, type JsonValue } from "../../variables";
import { stepTraces, type StepTrace } from "../step-traces";
import type { OptimizerContext } from "../types";
import { demoSlots, exampleDemo, stepPaths, toDemo, type DemoCandidate, type DemoSlot, type StepDemos } from "./demos";
import type { BootstrapSettings } from "./options";

export interface BootstrapRequest {
  /** Names the candidate: in trial metadata, rollout ids and random streams. */
  readonly label: string;
  /** Training examples (indices) in the order they are tried. */
  readonly order: readonly number[];
  readonly rng: Rng;
  /**
   * Sample the teacher: every round at temperature 1.0 with a rollout id of this candidate, so
   * candidates get different traces (default: only rounds after the first sample).
   */
  readonly sample?: boolean;
  /** Prefix of rollout ids and trial roles, e.g. the optimizer's name. */
  readonly prefix: string;
}

export interface BootstrapOutcome extends DemoCandidate {
  /** Training examples whose teacher run passed the metric, in the order tried. */
  readonly passed: readonly number[];
  /** Teacher runs made (examples times rounds). */
  readonly attempts: number;
  /** The budget ran out (or the run was aborted) before bootstrapping finished. */
  readonly stopped: boolean;
}

/** A trace passes the metric: at least the threshold, or any score above 0 without one. */
export function passes(score: number | undefined, threshold: number | undefined): boolean {
  if (score === undefined || Number.isNaN(score)) return false;
  return threshold === undefined ? score > 0 : score >= threshold;
}

/**
 * The teacher's configuration: the given teacher (or the program as it is) where every step
 * without demos gets `maxLabeledDemos` labeled training examples (DSPy gives an uncompiled
 * teacher labeled demos the same way). Returns the training indices behind those demos per slot.
 */
function prepareTeacher(ctx: OptimizerContext, settings: BootstrapSettings, request: BootstrapRequest, slots: readonly DemoSlot[]) {
  const base = ctx.space.complete({ ...ctx.space.defaults(), ...settings.teacher });
  const labeled = new Map<string, number[]>();
  if (settings.maxLabeledDemos > 0) {
    const rng = request.rng.fork("teacher-demos");
    for (const slot of slots) {
      const current = base[slot.name];
      if (Array.isArray(current) && current.length > 0) continue;
      labeled.set(slot.name, rng.sample(request.order, Math.min(settings.maxLabeledDemos, slot.max, request.order.length)));
    }
  }
  /** The teacher for one example: its own labeled demo left out (it would give the answer away). */
  const forExample = (index: number): Config => {
    if (labeled.size === 0) return base;
    const out: Record<string, JsonValue> = { ...base };
    for (const [name, indices] of labeled) out[name] = indices.filter((i) => i !== index).map((i) => exampleDemo(ctx.trainset[i]!));
    return out;
  };
  return forExample;
}

/** One trace per step and example: with several calls of a step, the last or (half the time) an earlier one. */
function oneTracePerStep(traces: readonly StepTrace[], rng: Rng): Map<string, StepTrace> {
  const byStep = new Map<string, StepTrace[]>();
  for (const t of traces) byStep.set(t.step, [...(byStep.get(t.step) ?? []), t]);
  const out = new Map<string, StepTrace>();
  for (const [step, list] of byStep) {
    out.set(step, list.length > 1 && rng.next() < 0.5 ? rng.pick(list.slice(0, -1)) : list.at(-1)!);
  }
  return out;
}

interface RoundResult {
  readonly passed: Map<number, Map<string, StepTrace>>;
  readonly stopped: boolean;
}

/** Runs the teacher once on some training examples (grouped by teacher configuration). */
async function teacherRound(
  ctx: OptimizerContext,
  settings: BootstrapSettings,
  request: BootstrapRequest,
  teacherFor: (index: number) => Config,
  examples: readonly number[],
  round: number,
): Promise<RoundResult> {
  const groups = new Map<string, { config: Config; examples: number[] }>();
  for (const index of examples) {
    const config = teacherFor(index);
    const key = jsonKey(config);
    const group = groups.get(key) ?? { config, examples: [] };
    group.examples.push(index);
    groups.set(key, group);
  }
  const sampled = request.sample || round > 0;
  const overrideSettings: LMSettings | undefined = sampled ? { ...settings.teacherSettings, temperature: 1.0 } : settings.teacherSettings;
  const rolloutId = sampled ? `${request.prefix}:${request.label}:round-${round}` : undefined;
  const passed = new Map<number, Map<string, StepTrace>>();
  for (const group of groups.values()) {
    if (ctx.study.shouldStop()) return { passed, stopped: true };
    const { result, details } = await ctx.study.evaluate(group.config, {
      set: "train",
      examples: group.examples,
      details: true,
      ...(rolloutId ? { rolloutId } : {}),
      ...(overrideSettings ? { overrideSettings } : {}),
      meta: { role: "bootstrap", optimizer: request.prefix, candidate: request.label, round },
    });
    if (result.state === "pruned") return { passed, stopped: true };
    if (result.state !== "complete" || !details) {
      ctx.log(`${request.prefix}: bootstrapping ${request.label} failed on ${group.examples.length} example(s): ${result.error ?? "no details"}`);
      continue;
    }
    const program = ctx.study.space.apply(ctx.program, result.config);
    group.examples.forEach((index, j) => {
      const trace = details.traces[j];
      if (!trace || details.outputs[j] === undefined || !passes(result.scores?.[j], settings.metricThreshold)) return;
      passed.set(index, oneTracePerStep(stepTraces(program, trace), request.rng.fork(`trace-${index}`)));
    });
  }
  return { passed, stopped: false };
}

/**
 * BootstrapFewShot's core, as trials of the study: the teacher runs on training examples in the
 * given order until `maxBootstrappedDemos` of them pass the metric (each example gets up to
 * `maxRounds` tries, later ones sampled at temperature 1.0); the passing runs' step traces become
 * demos for every step, and labeled examples from the rest (shuffled) fill each step up to
 * `maxLabeledDemos`. Examples run in chunks of exactly the number still needed, so the same
 * examples run as in a one-by-one walk, in parallel.
 */
export async function bootstrapDemos(ctx: OptimizerContext, settings: BootstrapSettings, request: BootstrapRequest): Promise<BootstrapOutcome> {
  const slots = demoSlots(ctx.space);
  const teacherFor = prepareTeacher(ctx, settings, request, slots);
  const traces = new Map<number, Map<string, StepTrace>>();
  let cursor = 0;
  let attempts = 0;
  let stopped = false;
  while (!stopped && traces.size < settings.maxBootstrappedDemos && cursor < request.order.length) {
    if (ctx.study.shouldStop()) {
      stopped = true;
      break;
    }
    const chunk = request.order.slice(cursor, cursor + settings.maxBootstrappedDemos - traces.size);
    cursor += chunk.length;
    let remaining = chunk;
    for (let round = 0; round < settings.maxRounds && remaining.length > 0; round++) {
      attempts += remaining.length;
      const outcome = await teacherRound(ctx, settings, request, teacherFor, remaining, round);
      for (const [index, byStep] of outcome.passed) traces.set(index, byStep);
      remaining = remaining.filter((i) => !outcome.passed.has(i));
      if (outcome.stopped) {
        stopped = true;
        break;
      }
    }
  }

  const passed = request.order.filter((i) => traces.has(i));
  const rest = request.rng.fork("rest").shuffle(request.order.filter((i) => !traces.has(i)));
  const steps: Record<string, StepDemos> = {};
  for (const step of stepPaths(ctx.program)) {
    const augmented: DemoValue[] = [];
    for (const i of passed) {
      const t = traces.get(i)!.get(step);
      if (t && augmented.length < settings.maxBootstrappedDemos) augmented.push(toDemo({ ...t.inputs, ...t.outputs }));
    }
    const size = Math.max(0, Math.min(settings.maxLabeledDemos - augmented.length, rest.length));
    const labeled = request.rng.fork(`labeled-${step}`).sample(rest, size).map((i) => exampleDemo(ctx.trainset[i]!));
    steps[step] = { demos: [...augmented, ...labeled], bootstrapped: augmented.length };
  }
  return { label: request.label, steps, passed, attempts, stopped };
}
