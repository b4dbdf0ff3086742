// Each optimizer's parameters derived from the calls it may spend on its search (the baseline and
// the final validation are paid apart), with the calls the fitted optimizer is expected to make.
// Expected counts assume half the teacher's runs pass the metric; the budget is enforced anyway.
import type { LMSettings } from "../../lm/types";
import { demoSlots, instructionSlots } from "../bootstrap";
import { BootstrapFewShot } from "../bootstrap/bootstrap-few-shot";
import { BootstrapFewShotWithRandomSearch } from "../bootstrap/random-search";
import { Gepa } from "../gepa";
import { MIPROv2 } from "../mipro";
import { trialsFor } from "../mipro/setup";
import { datasetSummaryCalls } from "../proposals";
import { raceCalls, rungSizes } from "../race";
import { ReflectRace, raceEarlyCalls } from "../reflect-race";
import { Simba } from "../simba";
import type { Optimizer, PlanInput } from "../types";

export interface FitInput extends PlanInput {
  /** Calls the optimizer may spend besides the baseline and the final validation. */
  readonly searchCalls: number;
  /** Demos a step may hold (the demo variables' limit). */
  readonly demoCap: number;
  /** Settings of the teacher that bootstraps demos (the strongest model), if any. */
  readonly teacher?: LMSettings;
}

export interface Fitted {
  readonly optimizer: Optimizer;
  /** Calls the fitted search is expected to make (besides the baseline and the final validation). */
  readonly lmCalls: number;
  /** The derived parameters, for the plan shown before the run. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly notes: readonly string[];
}

/** Teacher runs expected to find `k` passing traces (half pass). */
export const bootstrapCalls = (k: number, c: number) => 2 * k * c;

/** What racing `n` candidates from rungs of `first` examples to the whole set costs before its last rung. */
function raceCost(n: number, input: FitInput, first = Math.min(5, input.valSize)): number {
  if (n <= 1) return 0;
  const sizes = rungSizes(Math.min(first, input.valSize - 1), input.valSize, Math.max(1, Math.ceil(Math.log(n) / Math.log(3) - 1e-9)));
  return raceCalls(n, sizes.slice(0, -1), 3, input.callsPerRun);
}

/** BootstrapFewShot: the teacher's traces for up to `demoCap` demos, then one validation (the final one). */
export function fitBootstrap(input: FitInput): Fitted {
  const k = Math.max(1, Math.min(input.demoCap, Math.floor(input.searchCalls / (2 * input.callsPerRun)) || 1));
  const optimizer = new BootstrapFewShot({ maxBootstrappedDemos: k, maxLabeledDemos: input.demoCap, ...(input.teacher ? { teacherSettings: input.teacher } : {}) });
  return {
    optimizer,
    lmCalls: bootstrapCalls(k, input.callsPerRun),
    parameters: { maxBootstrappedDemos: k, maxLabeledDemos: input.demoCap, ...(input.teacher?.model ? { teacher: input.teacher.model } : {}) },
    notes: [`bootstrap ${k} demo(s) with ${input.teacher?.model ?? "the program's own model"} as teacher, about ${bootstrapCalls(k, input.callsPerRun)} calls`],
  };
}

/** BootstrapFewShotWithRandomSearch: as many candidate demo sets as the budget can build and race. */
export function fitRandomSearch(input: FitInput): Fitted {
  const c = input.callsPerRun;
  const k = input.demoCap;
  let candidates = 0;
  // Candidates 1 and 2 (zero-shot and labeled) cost nothing to build; each bootstrap about 2k calls.
  for (let n = 20; n >= 1; n--) {
    const builds = Math.max(0, n - 1) * bootstrapCalls(k, c);
    if (builds + raceCost(n + 1, input) <= input.searchCalls) {
      candidates = n;
      break;
    }
  }
  const optimizer = new BootstrapFewShotWithRandomSearch({ numCandidatePrograms: Math.max(0, candidates - 1), maxBootstrappedDemos: k, maxLabeledDemos: k, ...(input.teacher ? { teacherSettings: input.teacher } : {}) });
  const lmCalls = Math.max(0, candidates - 1) * bootstrapCalls(k, c) + raceCost(candidates + 1, input);
  return { optimizer, lmCalls, parameters: { numCandidatePrograms: Math.max(0, candidates - 1), maxBootstrappedDemos: k }, notes: [`${candidates + 1} candidate demo sets, raced on the validation set`] };
}

/** MIPROv2: the largest preset (light 6, medium 12, heavy 18 candidates) or a smaller n whose search fits. */
export function fitMipro(input: FitInput): Fitted {
  const c = input.callsPerRun;
  const k = input.demoCap;
  const texts = instructionSlots(input.space).length;
  const minibatchSize = Math.max(3, Math.min(35, Math.ceil(input.valSize / 3)));
  const cost = (n: number, trials: number) => {
    const bootstraps = Math.max(0, n - 2) * bootstrapCalls(k, c);
    const proposals = texts > 0 ? datasetSummaryCalls(input.trainSize) + texts * Math.max(0, Math.floor(n / 2) - 1) : 0;
    return bootstraps + proposals + trials * minibatchSize * c + raceCost(3, input);
  };
  const presets: Array<{ n: number; auto: "light" | "medium" | "heavy" }> = [
    { n: 18, auto: "heavy" },
    { n: 12, auto: "medium" },
    { n: 6, auto: "light" },
  ];
  const promptVars = texts + 1;
  for (const p of presets) {
    const trials = trialsFor(promptVars, p.n);
    if (cost(p.n, trials) <= input.searchCalls) return mipro(input, { auto: p.auto, n: p.n, trials, minibatchSize }, cost(p.n, trials));
  }
  for (let n = 5; n >= 3; n--) {
    for (let trials = trialsFor(promptVars, n); trials >= n; trials--) if (cost(n, trials) <= input.searchCalls) return mipro(input, { auto: "light", n, trials, minibatchSize }, cost(n, trials));
  }
  return mipro(input, { auto: "light", n: 3, trials: 3, minibatchSize }, cost(3, 3));
}

function mipro(input: FitInput, p: { auto: "light" | "medium" | "heavy"; n: number; trials: number; minibatchSize: number }, lmCalls: number): Fitted {
  const optimizer = new MIPROv2({
    auto: p.auto,
    numCandidates: p.n,
    numTrials: p.trials,
    minibatch: "always",
    minibatchSize: Math.min(p.minibatchSize, Math.max(1, input.valSize - 1)),
    maxBootstrappedDemos: input.demoCap,
    maxLabeledDemos: input.demoCap,
    ...(input.teacher ? { teacherSettings: input.teacher } : {}),
  });
  return {
    optimizer,
    lmCalls,
    parameters: { auto: p.auto, numCandidates: p.n, numTrials: p.trials, minibatchSize: p.minibatchSize },
    notes: [`MIPROv2 (${p.auto}) with ${p.n} candidates and ${p.trials} trials on minibatches of ${p.minibatchSize}`],
  };
}

/** GEPA: its metric-call budget is what the search may spend, less one reflection call per iteration. */
export function fitGepa(input: FitInput): Fitted {
  const mb = 3;
  const perIteration = 2 * mb * input.callsPerRun + 1;
  const iterations = Math.max(0, Math.floor(input.searchCalls / perIteration));
  // The seed's validation counts in GEPA's metric calls; it is the baseline, already paid.
  const maxMetricCalls = Math.max(1, input.valSize + Math.floor((input.searchCalls - iterations) / input.callsPerRun));
  return {
    optimizer: new Gepa({ maxMetricCalls }),
    lmCalls: input.searchCalls,
    parameters: { maxMetricCalls },
    notes: [`GEPA with ${maxMetricCalls} metric calls (the seed's ${input.valSize} included): up to ${iterations} reflective iterations`],
  };
}

/**
 * ReflectRace: the most demo sets and proposals whose first round fits, then as many further
 * rounds (proposals raced against the leader, each with its validation) as the rest pays for.
 */
export function fitReflectRace(input: FitInput): Fitted {
  const c = input.callsPerRun;
  const hasDemos = demoSlots(input.space).length > 0 && input.trainSize > 0;
  const hasTexts = instructionSlots(input.space).length > 0;
  const k = Math.max(1, Math.min(4, input.demoCap));
  const probeSize = Math.max(3, Math.min(8, input.trainSize, Math.floor(input.searchCalls / (5 * c))));
  const first = (m: number, p: number) => probeSize * c + (hasDemos ? 2 * m * k * c : 0) + p + raceEarlyCalls((hasDemos ? m : 1) * (1 + p), input.valSize, c);
  const later = (p: number) => probeSize * c + p + raceEarlyCalls(p, input.valSize, c) + (input.valSize - Math.min(5, input.valSize)) * c;
  const shapes: Array<[number, number]> = hasTexts ? [[3, 2], [2, 2], [2, 1], [1, 2], [1, 1], [1, 0]] : [[4, 0], [3, 0], [2, 0], [1, 0]];
  const [m, p] = shapes.find(([m, p]) => first(m, p) <= input.searchCalls) ?? [1, hasTexts ? 1 : 0];
  const rounds = p > 0 ? Math.min(8, 1 + Math.max(0, Math.floor((input.searchCalls - first(m, p)) / later(p)))) : 1;
  const optimizer = new ReflectRace({ demoSets: m, demos: k, proposals: p, probeSize, rounds, ...(input.teacher ? { teacherSettings: input.teacher } : {}) });
  return {
    optimizer,
    lmCalls: first(m, p) + (rounds - 1) * later(p),
    parameters: { demoSets: m, demos: k, proposals: p, probeSize, rounds, ...(input.teacher?.model ? { teacher: input.teacher.model } : {}) },
    notes: [
      `ReflectRace: ${hasDemos ? `${m} demo set(s) of ${k} from ${input.teacher?.model ?? "the program's own model"}, ` : ""}${p} instruction proposal(s) per round from the errors on ${probeSize} training examples, ${rounds} round(s), each raced on the validation set`,
    ],
  };
}

/** SIMBA: the batch, candidates and steps whose runs fit, keeping at least three steps when it can. */
export function fitSimba(input: FitInput): Fitted {
  const c = input.callsPerRun;
  const rules = instructionSlots(input.space).filter((s) => s.field === undefined).length;
  const race = raceCost(3, input);
  const perStep = (candidates: number, batch: number) => 2 * candidates * batch * c + candidates * rules;
  let best: { candidates: number; batch: number; steps: number; score: number } | undefined;
  for (const candidates of [6, 5, 4, 3, 2]) {
    for (const batch of [32, 24, 16, 12, 10, 8, 6, 5, 4]) {
      if (batch > Math.max(1, input.trainSize)) continue;
      const steps = Math.min(8, Math.floor((input.searchCalls - race) / perStep(candidates, batch)));
      if (steps < 1) continue;
      const score = Math.min(steps, 4) * 100 + Math.min(candidates, 4) * 10 + Math.min(batch, 16);
      if (!best || score > best.score) best = { candidates, batch, steps, score };
    }
  }
  const p = best ?? { candidates: 2, batch: Math.max(1, Math.min(4, input.trainSize)), steps: 1 };
  return {
    optimizer: new Simba({ batchSize: p.batch, numCandidates: p.candidates, maxSteps: p.steps, maxDemos: input.demoCap }),
    lmCalls: p.steps * perStep(p.candidates, p.batch) + race,
    parameters: { batchSize: p.batch, numCandidates: p.candidates, maxSteps: p.steps },
    notes: [`SIMBA with ${p.steps} step(s) of ${p.candidates} candidates on ${p.batch} training examples`],
  };
}
