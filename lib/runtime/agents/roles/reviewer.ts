// The reviewer role: checks code (or an answer) against criteria and returns a structured verdict.
// When tests are given it runs them in the sandbox first, and the real results bound the verdict:
// a failing test means not approved (score at most the pass rate), whatever the model says.
// Message "review" with a ReviewRequest; replies with a Review.
import { z } from "zod";
import type { Values } from "../../../dspex";
import type { TestReport } from "../sandbox";
import { defineSkill, type Skill } from "../skill";
import { defineRole, type RoleDefinition } from "./define-role";
import { describeReport, RUN_TESTS_ACTION, runTestsAction, SandboxTestSchema } from "./run-tests-action";
import { runRoleWith } from "./run-role";

export const VerdictSchema = z.object({
  approved: z.boolean(),
  score: z.number().min(0).max(1),
  issues: z.array(z.string()),
  suggestions: z.array(z.string()),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const REVIEWER_SIGNATURE = "task: string, criteria: string, submission: string, test_report: string -> approved: boolean, score: probability, issues: string[], suggestions: string[]";

export const REVIEWER_INSTRUCTIONS = [
  "You are a strict code reviewer. Judge the submission against the task and the criteria.",
  "The test report comes from really running the hidden tests: treat any failing test as a blocking issue.",
  "Approve only work you would merge. List concrete issues and actionable suggestions; score from 0 (useless) to 1 (perfect).",
].join(" ");

export const DEFAULT_CRITERIA = "Correct on every input the task allows, including edge cases; readable; no side effects or I/O.";

export const ReviewRequestSchema = z.object({
  task: z.string().min(1, "must describe what the submission should do"),
  submission: z.string(),
  criteria: z.string().default(DEFAULT_CRITERIA),
  /** Hidden tests run against the submission (code only); none for answers. */
  tests: z.array(SandboxTestSchema).default([]),
  round: z.number().int().positive().optional(),
});
export type ReviewRequest = z.input<typeof ReviewRequestSchema>;

export interface Review {
  readonly verdict: Verdict;
  /** The hidden tests' real results, when tests were given. */
  readonly tests?: TestReport;
  /** What the model said before the evidence was applied. */
  readonly modelVerdict: Verdict;
}

export const REVIEW = "review";
const MAX_ITEMS = 10;

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).filter((s) => s.trim() !== "") : typeof v === "string" && v.trim() ? [v] : []);

/** The model's outputs as a Verdict (clamped, lists of strings). */
export function verdictFromOutputs(out: Values): Verdict {
  const score = typeof out.score === "number" && Number.isFinite(out.score) ? Math.min(1, Math.max(0, out.score)) : 0;
  return { approved: out.approved === true, score, issues: asStrings(out.issues).slice(0, MAX_ITEMS), suggestions: asStrings(out.suggestions).slice(0, MAX_ITEMS) };
}

/**
 * The verdict after the evidence: with failing tests it is not approved, its score is at most the
 * pass rate, and each failing test is the first issue; with every test passing (or no tests) the
 * model's verdict stands.
 */
export function applyTestEvidence(model: Verdict, report: TestReport | undefined): Verdict {
  if (!report || report.total === 0 || report.allPassed) return model;
  const failing = report.loadError ? [`the code does not load (${report.loadError.kind}): ${report.loadError.message}`] : report.results.filter((r) => !r.passed).map((r) => `test "${r.name}" fails: ${r.error ?? "failed"}`);
  return {
    approved: false,
    score: Math.min(model.score, report.passed / report.total),
    issues: [...failing, ...model.issues].slice(0, MAX_ITEMS),
    suggestions: model.suggestions.length ? model.suggestions : ["Make every failing test pass before resubmitting."],
  };
}

export const reviewerSkill: Skill = defineSkill({
  name: "reviewer",
  description: "Reviews code or answers against criteria; runs hidden tests in the sandbox and returns a structured verdict.",
  actions: [runTestsAction],
  handlers: {
    [REVIEW]: async (payload, ctx): Promise<Review> => {
      const request = ReviewRequestSchema.parse(payload);
      let tests: TestReport | undefined;
      let testError: string | undefined;
      if (request.tests.length > 0) {
        const outcome = await ctx.perform(RUN_TESTS_ACTION, { code: request.submission, tests: request.tests });
        if (outcome.ok) tests = outcome.value as TestReport;
        else testError = outcome.error;
      }
      const inputs = { task: request.task, criteria: request.criteria, submission: request.submission, test_report: testError ? `The tests could not run: ${testError}` : describeReport(tests) };
      const out = await runRoleWith(ctx, inputs, request.round !== undefined ? `${ctx.agent.id}:round-${request.round}` : undefined);
      const modelVerdict = verdictFromOutputs(out);
      // Tests that could not run are no evidence of correctness: never approve on them.
      const verdict = testError ? { ...modelVerdict, approved: false, issues: [`the hidden tests could not run: ${testError}`, ...modelVerdict.issues].slice(0, MAX_ITEMS) } : applyTestEvidence(modelVerdict, tests);
      return { verdict: VerdictSchema.parse(verdict), ...(tests && { tests }), modelVerdict };
    },
  },
});

/** The built-in reviewer role; pass instructions to override the default ones. */
export function reviewerRole(options: { readonly instructions?: string; readonly module?: "predict" | "chain-of-thought" } = {}): RoleDefinition {
  return defineRole({ name: "reviewer", signature: REVIEWER_SIGNATURE, instructions: options.instructions ?? REVIEWER_INSTRUCTIONS, skills: [reviewerSkill], ...(options.module && { module: options.module }) });
}
