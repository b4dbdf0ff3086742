// The "demo-team" job kind: runs the demo team in the background (e.g. from the dashboard's Agents
// page) and stores a compact summary as the job's result. Not registered here: pass it to the
// queue with the other job definitions (see index.ts).
import { z } from "zod";
import type { LM } from "../../../dspex";
import { defineJob, type JobDefinition } from "../../jobs";
import type { PublishAgentState } from "../types";
import { runDemoTeam } from "./run-demo-team";
import { DEMO_TASKS, demoTasksById } from "./tasks";

export const DEMO_TEAM_JOB = "demo-team";

export const DemoTeamJobPayloadSchema = z.strictObject({
  /** Ids of bundled tasks (default: all eight). */
  tasks: z.array(z.enum(DEMO_TASKS.map((t) => t.id) as [string, ...string[]])).min(1).optional(),
  maxRounds: z.number().int().min(1).max(10).default(4),
});
export type DemoTeamJobPayload = z.infer<typeof DemoTeamJobPayloadSchema>;

export interface DemoTeamJobDependencies {
  /** The model the team runs on (the demo model when no provider is configured). */
  lmFor(): LM | Promise<LM>;
  readonly publish?: PublishAgentState;
}

export interface DemoTeamJobResult {
  readonly approved: number;
  readonly passing: number;
  readonly totalRounds: number;
  readonly tasks: readonly { readonly taskId: string; readonly approved: boolean; readonly rounds: number; readonly hiddenPassed: number; readonly hiddenTotal: number; readonly finalCode: string }[];
}

export function createDemoTeamJob(deps: DemoTeamJobDependencies): JobDefinition<DemoTeamJobPayload> {
  return defineJob<DemoTeamJobPayload>({
    kind: DEMO_TEAM_JOB,
    payload: DemoTeamJobPayloadSchema,
    maxAttempts: 1,
    async run(payload, ctx): Promise<DemoTeamJobResult> {
      const result = await runDemoTeam({
        lm: await deps.lmFor(),
        ...(payload.tasks && { tasks: demoTasksById(payload.tasks) }),
        maxRounds: payload.maxRounds,
        systemId: `demo-team:${ctx.jobId}`,
        signal: ctx.signal,
        ...(deps.publish && { publish: deps.publish }),
        onRound: ({ taskId, round, tasksDone, tasksTotal }) => void ctx.progress({ taskId, round: round.round, approved: round.verdict.approved, tasksDone, tasksTotal }),
      });
      return {
        approved: result.approved,
        passing: result.passing,
        totalRounds: result.totalRounds,
        tasks: result.tasks.map((t) => ({ taskId: t.taskId, approved: t.approved, rounds: t.rounds.length, hiddenPassed: t.finalTests?.passed ?? 0, hiddenTotal: t.finalTests?.total ?? 0, finalCode: t.finalCode })),
      };
    },
  });
}
