// The coder role: task specification (+ its previous code and the reviewer's feedback) -> code,
// then the run_tests action checks that code against the task's tests in the sandbox.
// Message "write_code" with a CodeRequest; replies with a CodeAttempt.
import { z } from "zod";
import { stripFences } from "../../../dspex";
import type { TestReport } from "../sandbox";
import { defineSkill, type Skill } from "../skill";
import { defineRole, type RoleDefinition } from "./define-role";
import { RUN_TESTS_ACTION, runTestsAction, SandboxTestSchema } from "./run-tests-action";
import { runRoleWith } from "./run-role";

export const CODER_SIGNATURE = "task: string, previous_code: string, feedback: string -> code: string";

export const CODER_INSTRUCTIONS = [
  "You are a careful JavaScript programmer. Write the function the task asks for, as plain JavaScript (no modules, no imports, no I/O).",
  "Define it at top level with exactly the name and parameters the task gives. Return only the code.",
  "When previous code and reviewer feedback are given, fix every issue the feedback names and keep what already works.",
].join(" ");

export const CodeRequestSchema = z.object({
  task: z.string().min(1, "must describe the task, e.g. \"Write `add(a, b)` that returns a + b\""),
  /** Tests the coder may run on its own code (the visible examples). */
  tests: z.array(SandboxTestSchema).default([]),
  previousCode: z.string().optional(),
  feedback: z.string().optional(),
  /** The round of a review loop (1 for the first attempt); part of the rollout id. */
  round: z.number().int().positive().optional(),
});
export type CodeRequest = z.input<typeof CodeRequestSchema>;

export interface CodeAttempt {
  readonly code: string;
  /** The coder's own test run (absent when no tests were given or the run failed to start). */
  readonly tests?: TestReport;
  /** Set when run_tests itself could not run (invalid input, time limit of the action). */
  readonly testError?: string;
}

export const WRITE_CODE = "write_code";

/** Code out of an LM's reply: fences and surrounding prose trimmed. */
export function extractCode(text: string): string {
  const fenced = /```[\w-]*\n([\s\S]*?)```/.exec(text);
  return (fenced ? fenced[1]! : stripFences(text)).trim();
}

export const coderSkill: Skill = defineSkill({
  name: "coder",
  description: "Writes JavaScript for a task specification and runs it against the task's tests in the sandbox.",
  actions: [runTestsAction],
  handlers: {
    [WRITE_CODE]: async (payload, ctx): Promise<CodeAttempt> => {
      const request = CodeRequestSchema.parse(payload);
      const inputs = { task: request.task, previous_code: request.previousCode ?? "(none)", feedback: request.feedback ?? "(none)" };
      const out = await runRoleWith(ctx, inputs, request.round !== undefined ? `${ctx.agent.id}:round-${request.round}` : undefined);
      const code = extractCode(String(out.code ?? ""));
      if (request.tests.length === 0) return { code };
      const outcome = await ctx.perform(RUN_TESTS_ACTION, { code, tests: request.tests });
      return outcome.ok ? { code, tests: outcome.value as TestReport } : { code, testError: outcome.error };
    },
  },
});

/** The built-in coder role; pass instructions to override the default ones. */
export function coderRole(options: { readonly instructions?: string; readonly module?: "predict" | "chain-of-thought" } = {}): RoleDefinition {
  return defineRole({ name: "coder", signature: CODER_SIGNATURE, instructions: options.instructions ?? CODER_INSTRUCTIONS, skills: [coderSkill], ...(options.module && { module: options.module }) });
}
