// Vote and debate: several distinct agents answer the same task; a judge (an agent, or a function)
// picks one answer, else the most frequent answer wins. A debate adds rounds in which every agent
// sees the others' previous answers before answering again.
import { z } from "zod";
import type { Agent } from "../agent";
import { AgentError } from "../errors";
import type { DispatchOptions, TaskResult, Team } from "../team";

export type Judge = { readonly capability: string; readonly type?: string } | ((candidates: readonly unknown[], task: unknown) => number | Promise<number>);

export interface VoteOptions {
  readonly capability: string;
  readonly type?: string;
  /** How many distinct agents answer (default 3; fewer if the team has fewer). */
  readonly voters?: number;
  /** Picks the winning candidate's index. An agent judge gets { task, candidates } and replies { choice: index }. */
  readonly judge?: Judge;
  /** What counts as the same answer for the majority (default: JSON text). */
  readonly key?: (output: unknown) => string;
  readonly dispatch?: DispatchOptions;
}

export interface DebateOptions extends VoteOptions {
  /** Rounds of answers (default 2). From round 2 the payload is { task, others: the other agents' previous answers }. */
  readonly rounds?: number;
}

export interface VoteResult {
  readonly output: unknown;
  readonly candidates: readonly unknown[];
  readonly winner: number;
  readonly rounds: readonly (readonly TaskResult[])[];
}

const JudgeReplySchema = z.object({ choice: z.coerce.number().int().nonnegative() });

/** One round: each voter answers `payloadFor(i)` on a distinct agent where the team allows it. */
async function round(team: Team, options: VoteOptions, n: number, payloadFor: (i: number) => unknown, assigned: (string | undefined)[]): Promise<TaskResult[]> {
  const used = new Set<string>();
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const select = (pool: readonly Agent[]): Agent | undefined => {
        const pick = pool.find((a) => a.id === assigned[i] && !used.has(a.id)) ?? pool.find((a) => !used.has(a.id)) ?? pool[i % pool.length];
        if (pick) used.add(pick.id);
        return pick;
      };
      return team.dispatch({ capability: options.capability, ...(options.type && { type: options.type }), payload: payloadFor(i) }, { ...options.dispatch, select }).then((r) => {
        assigned[i] = r.agentId;
        return r;
      });
    }),
  );
}

async function decide(team: Team, options: VoteOptions, candidates: readonly unknown[], task: unknown): Promise<number> {
  const judge = options.judge;
  if (!judge) return majority(candidates, options.key ?? ((o) => JSON.stringify(o) ?? String(o)));
  let choice: number;
  if (typeof judge === "function") choice = await judge(candidates, task);
  else {
    const reply = await team.dispatch({ capability: judge.capability, ...(judge.type && { type: judge.type }), payload: { task, candidates } }, options.dispatch);
    const parsed = JudgeReplySchema.safeParse(reply.output);
    if (!parsed.success) throw new AgentError("TASK_FAILED", `vote: the judge (${judge.capability}) must reply { choice: index of the best candidate } (got ${JSON.stringify(reply.output)})`, team.name);
    choice = parsed.data.choice;
  }
  if (!Number.isInteger(choice) || choice < 0 || choice >= candidates.length) {
    throw new AgentError("TASK_FAILED", `vote: the judge chose ${choice}, but there are ${candidates.length} candidates (0..${candidates.length - 1})`, team.name);
  }
  return choice;
}

/** The index of the most frequent answer (the earliest among ties). */
export function majority(candidates: readonly unknown[], key: (output: unknown) => string): number {
  const counts = new Map<string, { n: number; first: number }>();
  candidates.forEach((c, i) => {
    const k = key(c);
    const entry = counts.get(k) ?? { n: 0, first: i };
    entry.n++;
    counts.set(k, entry);
  });
  let best = { n: 0, first: 0 };
  for (const e of counts.values()) if (e.n > best.n) best = e;
  return best.first;
}

function voterCount(team: Team, options: VoteOptions): number {
  const capable = team.members(options.capability).length;
  if (capable === 0) throw new AgentError("NO_CAPABLE_AGENT", `vote: no agent in team "${team.name}" can do "${options.capability}"`, team.name);
  return Math.max(1, Math.min(options.voters ?? 3, capable));
}

export async function vote(team: Team, payload: unknown, options: VoteOptions): Promise<VoteResult> {
  const answers = await round(team, options, voterCount(team, options), () => payload, []);
  const candidates = answers.map((a) => a.output);
  const winner = await decide(team, options, candidates, payload);
  return { output: candidates[winner], candidates, winner, rounds: [answers] };
}

export async function debate(team: Team, payload: unknown, options: DebateOptions): Promise<VoteResult> {
  const n = voterCount(team, options);
  const assigned: (string | undefined)[] = [];
  const rounds: TaskResult[][] = [await round(team, options, n, () => payload, assigned)];
  for (let r = 1; r < (options.rounds ?? 2); r++) {
    const previous = rounds[r - 1]!.map((a) => a.output);
    rounds.push(await round(team, options, n, (i) => ({ task: payload, others: previous.filter((_, j) => j !== i) }), assigned));
  }
  const candidates = rounds.at(-1)!.map((a) => a.output);
  const winner = await decide(team, options, candidates, payload);
  return { output: candidates[winner], candidates, winner, rounds };
}
