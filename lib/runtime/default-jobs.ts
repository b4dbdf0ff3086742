// The job kinds every process registers, defined next to what they run (optimizations in jobs/,
// the demo team in agents/) and put together here, above both: the job queue module itself knows
// no job kind, so agents may define jobs without a cycle through the runtime.
import { composeLM } from "../dspex";
import { createDemoTeamJob } from "./agents/demo-team";
import { createRunTracer, withRunPerCall } from "./events";
import { createExperimentJob } from "./experiments";
import { createOptimizationJob, type JobDefinition } from "./jobs";
import type { Runtime } from "./runtime";

/** The job kinds every process registers (web nodes to enqueue and validate, workers to run). */
export function defaultJobs(runtime: Pick<Runtime, "db" | "programs" | "lm" | "bus" | "store"> & Partial<Pick<Runtime, "changes">>): JobDefinition<unknown>[] {
  return [
    createOptimizationJob({
      prisma: runtime.db.prisma,
      resolver: runtime.programs.resolver,
      lmFor: (optimization) => {
        const scopes = { optimizationId: optimization.id, programId: optimization.program.id };
        // Every call is traced as a run of the optimization (source "optimization"), its spend on the Costs page.
        return { lm: composeLM(runtime.lm.forScopes(scopes, "background"), withRunPerCall(runtime.bus, { source: "optimization", ...scopes }, runtime.lm.describeCall)) };
      },
      publish: (name, payload) => runtime.bus.emit(name, payload),
      ...(runtime.changes && { changes: runtime.changes }),
    }),
    // Versions compared on a dataset: each example a traced run of its own (source "evaluation").
    createExperimentJob({
      store: runtime.store,
      resolver: runtime.programs.resolver,
      lmFor: (scopes) => runtime.lm.forScopes({ programId: scopes.programId }, "background"),
      recordRun: (init) => {
        const recorder = createRunTracer(runtime.bus, { source: "evaluation", ...init, describeCall: runtime.lm.describeCall });
        return { tracer: recorder, runId: recorder.runId, finish: (end) => recorder.finish(end) };
      },
    }),
    // The coder-and-reviewer demo team, launched from the Agents page; its agents' states stream live.
    createDemoTeamJob({
      lmFor: () => composeLM(runtime.lm.forScopes({}, "background"), withRunPerCall(runtime.bus, { source: "agent" }, runtime.lm.describeCall)),
      publish: (state) => void runtime.bus.emit("agent:state", state).catch(() => {}),
    }),
  ];
}
