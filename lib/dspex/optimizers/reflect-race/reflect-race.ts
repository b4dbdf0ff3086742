import { jsonKey, type Config } from "../../variables";
import { bootstrapDemos, demoSlots, instructionSlots, textSlotNote, type TextSlot } from "../bootstrap";
import { proposeInstruction, reflectiveRecords, type EvaluatedExample } from "../gepa";
import { race, raceCalls, rungSizes } from "../race";
import { isStopError, reflectionContext } from "../reflection-context";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { splitDemoSets } from "./demo-sets";
import { parseReflectRaceOptions, type ReflectRaceOptions, type ReflectRaceSettings } from "./options";

/** The calls the early rungs of a race of `n` candidates make (its last rung is the final validation). */
export function raceEarlyCalls(n: number, valSize: number, callsPerRun: number): number {
  if (n <= 1) return 0;
  const sizes = rungSizes(Math.min(5, valSize - 1), valSize, Math.max(1, Math.ceil(Math.log(n) / Math.log(3) - 1e-9)));
  return raceCalls(n, sizes.slice(0, -1), 3, callsPerRun);
}

/**
 * ReflectRace: the program runs on a few training examples to show its errors; a teacher
 * bootstraps demos, the examples the program got wrong first, and its passing runs are split into
 * varied demo sets; a reflection model reads the errors and rewrites the instructions (and any text
 * variable). Every combination races on the validation set (successive halving on growing
 * prefixes, scores reused), the finalist validated against the baseline on the same examples.
 * Further rounds reflect on the leader's remaining errors and race the rewrites against it, while
 * the budget pays for a round and its validation.
 */
export class ReflectRace implements Optimizer {
  readonly name = "reflect-race";
  readonly settings: ReflectRaceSettings;

  constructor(options: ReflectRaceOptions = {}) {
    this.settings = parseReflectRaceOptions(options);
  }

  plan(input: PlanInput) {
    const s = this.settings;
    const c = input.callsPerRun;
    const hasDemos = demoSlots(input.space).length > 0;
    const texts = instructionSlots(input.space).length > 0 ? s.proposals : 0;
    const sets = hasDemos ? s.demoSets : 1;
    const first = s.probeSize * c + (hasDemos ? 2 * sets * s.demos * c : 0) + texts + raceEarlyCalls(sets * (1 + texts), input.valSize, c);
    const later = texts > 0 ? s.probeSize * c + texts + raceEarlyCalls(texts, input.valSize, c) + (input.valSize - Math.min(5, input.valSize)) * c : 0;
    const rounds = texts > 0 ? s.rounds : 1;
    return {
      lmCalls: first + (rounds - 1) * later,
      trials: 2 + sets * (1 + texts) + (rounds - 1) * (2 + texts),
      notes: [
        `round 1: the program on ${s.probeSize} training examples, ${hasDemos ? `${sets} demo set(s) of ${s.demos} from the teacher, ` : ""}${texts} instruction proposal(s), a race of ${sets * (1 + texts)} candidates`,
        ...(rounds > 1 ? [`up to ${rounds - 1} more round(s) of ${texts} proposal(s) raced against the leader (about ${later} calls each)`] : []),
      ],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const s = this.settings;
    const slots = demoSlots(ctx.space);
    const texts = instructionSlots(ctx.space).filter((t) => ctx.space.isActive(t.name, ctx.space.defaults()));
    const base = ctx.space.defaults();
    if (slots.length === 0 && texts.length === 0) {
      ctx.log("ReflectRace: no searchable demo sets or texts; the program is left as it is");
      return { best: base };
    }
    const rng = ctx.rng.fork("reflect-race");
    const order = rng.fork("order").shuffle(ctx.trainset.map((_, i) => i));
    const notes: string[] = [];

    // Round 1: the program's errors, demo sets bootstrapped hardest-first, proposals, one race.
    const probe = await this.probe(ctx, base, order.slice(0, s.probeSize), 0);
    if (!probe) return { best: base };
    const failing = probe.filter((e) => e.score < s.perfectScore).map((e) => e.index);
    let sets: Config[] = [base];
    if (slots.length > 0 && !ctx.study.shouldStop()) {
      const want = Math.max(1, Math.min(s.demos, ...slots.map((x) => x.max)));
      const teacherOrder = [...failing, ...order.filter((i) => !failing.includes(i))];
      const outcome = await bootstrapDemos(
        ctx,
        { maxBootstrappedDemos: s.demoSets * want, maxLabeledDemos: 0, maxRounds: 1, ...(s.teacherSettings ? { teacherSettings: s.teacherSettings } : {}) },
        { label: "demo-sets", order: teacherOrder, rng: rng.fork("bootstrap"), prefix: this.name },
      );
      const split = splitDemoSets(base, slots, outcome, s.demoSets, want);
      if (split.length) sets = split;
      notes.push(`${outcome.passed.length} of ${outcome.attempts} teacher runs passed; ${split.length} demo set(s)`);
    }
    const proposals = await this.propose(ctx, texts, base, probe, s.proposals, 0);
    const candidates: Config[] = [];
    for (const set of sets) {
      for (const p of proposals) candidates.push(ctx.space.complete({ ...set, ...p }));
      candidates.push(set);
    }
    let leader = base;
    let leaderScore = ctx.study.fullScore(base) ?? Number.NEGATIVE_INFINITY;
    const first = await race(ctx.study, { candidates, meta: { optimizer: this.name, round: 0 } });
    if (first.winner && first.score !== undefined && first.score > leaderScore) [leader, leaderScore] = [first.winner, first.score];
    notes.push(`round 1: ${candidates.length} candidates raced; ${first.winner ? `finalist ${first.score?.toFixed(3)} (baseline ${first.referenceScore?.toFixed(3)})` : `no finalist (${first.stopped})`}`);

    // Later rounds: reflect on the leader's errors, race the rewrites against it.
    for (let round = 1; round < s.rounds && texts.length > 0 && s.proposals > 0; round++) {
      const cost = s.probeSize * ctx.study.callsPerExample() + s.proposals + raceEarlyCalls(s.proposals, ctx.valset.length, ctx.study.callsPerExample());
      ctx.study.setFinalReserve(ctx.valset.length);
      if (ctx.study.shouldStop() || ctx.study.headroom() < cost) {
        ctx.study.budgetLimited(`ReflectRace: ${round} round(s); the budget cannot pay for another round and its validation`);
        break;
      }
      const start = (round * s.probeSize) % Math.max(1, order.length);
      const examples = [...order.slice(start), ...order.slice(0, start)].slice(0, s.probeSize);
      const seen = await this.probe(ctx, leader, examples, round);
      if (!seen) break;
      const rewrites = await this.propose(ctx, texts, leader, seen, s.proposals, round);
      if (rewrites.length === 0) continue;
      const outcome = await race(ctx.study, { candidates: rewrites.map((p) => ctx.space.complete({ ...leader, ...p })), reference: leader, meta: { optimizer: this.name, round } });
      const won = outcome.winner && outcome.score !== undefined && outcome.score > leaderScore;
      if (won) [leader, leaderScore] = [outcome.winner!, outcome.score!];
      notes.push(`round ${round + 1}: ${rewrites.length} rewrite(s) raced against the leader; ${won ? `new leader ${leaderScore.toFixed(3)}` : `the leader stays (${outcome.stopped ?? `finalist ${outcome.score?.toFixed(3)}`})`}`);
    }
    for (const n of notes) ctx.log(`ReflectRace: ${n}`);
    return { best: leader, notes };
  }

  /** Runs a configuration on training examples with details: what the reflection reads. */
  private async probe(ctx: OptimizerContext, config: Config, examples: readonly number[], round: number): Promise<Array<EvaluatedExample & { index: number }> | undefined> {
    if (examples.length === 0) return [];
    const { result, details, refused } = await ctx.study.evaluate(config, { set: "train", examples, details: true, meta: { optimizer: this.name, role: "probe", round } });
    if (refused || result.state !== "complete" || !details) return undefined;
    return examples.map((index, j) => ({
      index,
      example: ctx.trainset[index]!,
      outputs: details.outputs[j],
      trace: details.traces[j],
      score: result.scores?.[j] ?? 0,
      feedback: result.feedback?.[j] ?? null,
    }));
  }

  /** Rewrites of the texts from the errors seen: one proposal per call, the texts in turn. */
  private async propose(ctx: OptimizerContext, texts: readonly TextSlot[], config: Config, seen: readonly EvaluatedExample[], count: number, round: number): Promise<Config[]> {
    if (texts.length === 0 || count === 0 || !seen.some((e) => e.score < this.settings.perfectScore)) return [];
    const program = ctx.space.apply(ctx.program, config);
    const out: Config[] = [];
    const keys = new Set<string>([jsonKey(config)]);
    for (let j = 0; j < count; j++) {
      if (ctx.study.shouldStop() || ctx.study.headroom() < 1) break;
      const slot = texts[(round + j) % texts.length]!;
      const records = reflectiveRecords(program, slot.step, seen, this.settings.perfectScore, ctx.rng.fork(`records-${round}-${j}`));
      if (records.length === 0) continue;
      try {
        const text = await proposeInstruction(String(config[slot.name] ?? ""), records, reflectionContext(ctx, `reflect-race-${round}-${j}`), textSlotNote(slot));
        if (!text || text === config[slot.name]) continue;
        const next = { ...config, [slot.name]: text };
        if (keys.has(jsonKey(next))) continue;
        keys.add(jsonKey(next));
        out.push({ [slot.name]: text });
      } catch (err) {
        if (isStopError(err) || ctx.study.shouldStop()) break;
        ctx.log(`ReflectRace: a proposal for ${slot.name} failed (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return out;
  }
}
