// The demo team: a coder and a reviewer agent iterate on each bundled task until the reviewer
// approves (at most maxRounds rounds). The coder writes code and runs the visible examples; the
// reviewer runs the hidden tests in the sandbox and returns a verdict bounded by their results;
// its issues and suggestions are the coder's feedback for the next round. Both agents publish
// "agent:state" events through `publish`, so the Agents page shows the loop live.
import type { LM } from "../../../dspex";
import type { Supervisor } from "../../supervisor";
import { startAgent, type Agent } from "../agent";
import { AgentError } from "../errors";
import { coderRole, reviewerRole, REVIEW, WRITE_CODE, type CodeAttempt, type Review, type Verdict } from "../roles";
import type { TestReport } from "../sandbox";
import type { PublishAgentState } from "../types";
import { DEMO_TASKS, type DemoTask } from "./tasks";

export interface DemoTeamOptions {
  readonly lm: LM;
  /** Default: the eight bundled tasks. */
  readonly tasks?: readonly DemoTask[];
  /** Where the agents' agent:state events go. */
  readonly publish?: PublishAgentState;
  /** Rounds per task before giving up (default 4). */
  readonly maxRounds?: number;
  /** The agents' supervisor (default: one of their own each). */
  readonly supervisor?: Supervisor;
  /** agent:state's systemId (default "demo-team"). */
  readonly systemId?: string;
  /** Stops between rounds; the tasks not finished are reported as not approved. */
  readonly signal?: AbortSignal;
  /** Called after every round (e.g. a job's progress). */
  readonly onRound?: (event: { readonly taskId: string; readonly round: DemoRound; readonly tasksDone: number; readonly tasksTotal: number }) => void;
}

export interface DemoRound {
  readonly round: number;
  readonly code: string;
  /** The coder's own run of the visible examples. */
  readonly selfTests?: TestReport;
  readonly verdict: Verdict;
  /** The hidden tests, run by the reviewer. */
  readonly hiddenTests?: TestReport;
  /** The feedback the coder got for this round ("" in round 1). */
  readonly feedback: string;
}

export interface DemoTaskResult {
  readonly taskId: string;
  readonly title: string;
  readonly approved: boolean;
  readonly rounds: readonly DemoRound[];
  readonly finalCode: string;
  readonly finalTests?: TestReport;
}

export interface DemoTeamResult {
  readonly tasks: readonly DemoTaskResult[];
  readonly approved: number;
  /** Tasks whose final code passes every hidden test. */
  readonly passing: number;
  readonly totalRounds: number;
}

/** The reviewer's verdict as the coder's next feedback. */
export function feedbackFrom(verdict: Verdict): string {
  const lines = [...verdict.issues.map((i) => `Issue: ${i}`), ...verdict.suggestions.map((s) => `Suggestion: ${s}`)];
  return lines.length ? lines.join("\n") : `The reviewer did not approve (score ${verdict.score.toFixed(2)}); improve the code.`;
}

async function runTask(coder: Agent, reviewer: Agent, task: DemoTask, maxRounds: number, signal: AbortSignal | undefined, onRound: (round: DemoRound) => void): Promise<DemoTaskResult> {
  const rounds: DemoRound[] = [];
  let previousCode: string | undefined;
  let feedback = "";
  for (let round = 1; round <= maxRounds && !signal?.aborted; round++) {
    const attempt = await coder.ask<CodeAttempt>({ type: WRITE_CODE, payload: { task: task.specification, tests: task.examples, round, ...(previousCode !== undefined && { previousCode, feedback }) } });
    const review = await reviewer.ask<Review>({ type: REVIEW, payload: { task: task.specification, submission: attempt.code, tests: task.hiddenTests, round } });
    const record: DemoRound = { round, code: attempt.code, ...(attempt.tests && { selfTests: attempt.tests }), verdict: review.verdict, ...(review.tests && { hiddenTests: review.tests }), feedback };
    rounds.push(record);
    onRound(record);
    if (review.verdict.approved) break;
    previousCode = attempt.code;
    feedback = feedbackFrom(review.verdict);
  }
  const last = rounds.at(-1);
  return { taskId: task.id, title: task.title, approved: last?.verdict.approved ?? false, rounds, finalCode: last?.code ?? "", ...(last?.hiddenTests && { finalTests: last.hiddenTests }) };
}

/** Runs the demo team over the tasks, one task at a time; the agents are stopped at the end. */
export async function runDemoTeam(options: DemoTeamOptions): Promise<DemoTeamResult> {
  const maxRounds = options.maxRounds ?? 4;
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw new AgentError("OPTION_INVALID", `runDemoTeam: maxRounds must be a whole number of at least 1, got ${String(maxRounds)}`, "demo-team");
  const tasks = options.tasks ?? DEMO_TASKS;
  const common = {
    lm: options.lm,
    systemId: options.systemId ?? "demo-team",
    ...(options.publish && { publish: options.publish }),
    ...(options.supervisor && { supervisor: options.supervisor }),
  };
  const coder = await startAgent({ name: "coder", ...common, ...coderRole().agentOptions() });
  let reviewer: Agent | undefined;
  try {
    reviewer = await startAgent({ name: "reviewer", ...common, ...reviewerRole().agentOptions() });
    const results: DemoTaskResult[] = [];
    for (const task of tasks) {
      const onRound = (round: DemoRound) => options.onRound?.({ taskId: task.id, round, tasksDone: results.length, tasksTotal: tasks.length });
      results.push(await runTask(coder, reviewer, task, maxRounds, options.signal, onRound));
    }
    return {
      tasks: results,
      approved: results.filter((r) => r.approved).length,
      passing: results.filter((r) => r.finalTests?.allPassed).length,
      totalRounds: results.reduce((n, r) => n + r.rounds.length, 0),
    };
  } finally {
    await Promise.allSettled([coder.stop(), reviewer?.stop()]);
  }
}
