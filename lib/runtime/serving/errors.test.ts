import { describe, expect, it } from "vitest";
import { DspexError, InputValidationError, LMError, OutputParseError } from "../../dspex";
import { API_ERROR_STATUS } from "../../schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "../store";
import { ServingError, toServingError } from "./index";

class ResourceLike extends Error {
  constructor(
    readonly code: string,
    readonly details: Record<string, unknown>,
  ) {
    super(`${code} from the resource layer`);
  }
}

describe("toServingError", () => {
  it("maps every failure to a typed error whose status is its code's", () => {
    const cases: [unknown, string, Record<string, string>?][] = [
      [new InputValidationError("qa", [{ field: "question", message: "is missing" }]), "INPUT_INVALID"],
      [new NotFoundError("run", "r1", "runId"), "NOT_FOUND"],
      [new ConflictError("taken", "name"), "CONFLICT"],
      [new InvalidInputError("query", [{ field: "limit", message: "must be at least 1" }]), "INVALID_REQUEST"],
      [new DspexError("BUDGET_EXCEEDED", "global budget (day): limit $1"), "BUDGET_EXCEEDED"],
      [new LMError("LM_TIMEOUT", "no answer in 30 s", { provider: "openai" }), "LM_TIMEOUT"],
      [new LMError("LM_RATE_LIMITED", "429 from openai", { provider: "openai", retryAfterMs: 2500 }), "PROVIDER_UNAVAILABLE", { "retry-after": "3" }],
      [new ResourceLike("CIRCUIT_OPEN", { retryAfterMs: 10_000 }), "PROVIDER_UNAVAILABLE", { "retry-after": "10" }],
      [new ResourceLike("RATE_LIMITED", { reason: "wait-exceeded", waitedMs: 10_000, retryAfterMs: 2_100 }), "RATE_LIMITED", { "retry-after": "3" }],
      [new ResourceLike("RATE_LIMITED", { reason: "queue-full", waitedMs: 0 }), "RATE_LIMITED", { "retry-after": "1" }],
      [new ResourceLike("CONCURRENCY_LIMITED", {}), "PROVIDER_UNAVAILABLE", { "retry-after": "1" }],
      [new LMError("LM_BAD_RESPONSE", "empty choices", { provider: "openai" }), "LM_ERROR"],
      [new OutputParseError("no answer field", { raw: "hi", adapter: "chat", attempts: 3, expectedFields: ["answer"], parsedFields: [] }), "OUTPUT_PARSE"],
      [new DspexError("ABORTED", "client gone"), "ABORTED"],
      [new DspexError("MAX_STEPS", "ReAct stopped after 10 steps"), "RUN_FAILED"],
      [new Error("boom"), "RUN_FAILED"],
      ["a string", "RUN_FAILED"],
    ];
    for (const [err, code, headers] of cases) {
      const mapped = toServingError(err);
      expect(mapped.code, String(err)).toBe(code);
      expect(mapped.status).toBe(API_ERROR_STATUS[mapped.code]);
      if (headers) expect(mapped.headers).toEqual(headers);
    }
  });

  it("prefixes input field paths with the input's place in the request", () => {
    const err = new InputValidationError("qa", [
      { field: "question", message: "is missing" },
      { field: "(all)", message: "must be an object" },
    ]);
    expect(toServingError(err, "inputs.3").fields).toEqual([
      { field: "inputs.3.question", message: "is missing" },
      { field: "inputs.3", message: "must be an object" },
    ]);
  });

  it("names the budget's scope in fields when the error carries it", () => {
    const err = Object.assign(new DspexError("BUDGET_EXCEEDED", 'program "p1" budget (month): limit $5'), { details: { scope: "program", scopeId: "p1" } });
    expect(toServingError(err)).toMatchObject({ status: 402, message: 'a budget is spent: program "p1" budget (month): limit $5', fields: [{ field: "budget.program" }] });
  });

  it("serializes to the one error body, without fields when there are none", () => {
    expect(new ServingError("NOT_FOUND", "no such run").body()).toEqual({ error: { code: "NOT_FOUND", message: "no such run" } });
    expect(new ServingError("INPUT_INVALID", "bad", [{ field: "input.q", message: "is missing" }]).body()).toEqual({ error: { code: "INPUT_INVALID", message: "bad", fields: [{ field: "input.q", message: "is missing" }] } });
  });
});
