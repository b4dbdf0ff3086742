import { z } from "zod";
import { DspexError } from "../errors";
import type { JsonSchema } from "../lm/types";

export interface ToolContext {
  readonly signal: AbortSignal;
}

/**
 * A typed unit of work an agent can call: zod-validated input (and, optionally, output), a run
 * function, and a time limit. ReAct's tools and the runtime's agent actions are the same thing.
 */
export interface Tool<I = unknown, O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<I>;
  readonly output?: z.ZodType<O>;
  /** Abandon a call that takes longer (default 30 s); the model is told it timed out. */
  readonly timeoutMs?: number;
  run(input: I, ctx: ToolContext): Promise<O> | O;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function defineTool<I, O>(tool: Tool<I, O>): Tool<I, O> {
  if (!NAME.test(tool.name)) {
    throw new DspexError("OPTION_INVALID", `defineTool: name "${tool.name}" must start with a letter and hold only letters, digits, _ or - (at most 64)`);
  }
  if (tool.name === "finish") throw new DspexError("OPTION_INVALID", `defineTool: "finish" is reserved for ending a ReAct loop; choose another name`);
  return Object.freeze({ ...tool });
}

export function toolArgsSchema(tool: Tool): JsonSchema {
  return z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

export type ToolOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Validates arguments, runs the tool under its time limit, and never throws: errors become data. */
export async function invokeTool(tool: Tool, args: unknown, parent?: AbortSignal): Promise<ToolOutcome> {
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
    return { ok: false, error: `invalid arguments for ${tool.name}: ${issues}` };
  }
  const timeoutMs = tool.timeoutMs ?? 30_000;
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`${tool.name} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const value = await Promise.race([Promise.resolve(tool.run(parsed.data, { signal: controller.signal })), timeout]);
    if (tool.output) {
      const out = tool.output.safeParse(value);
      if (!out.success) return { ok: false, error: `${tool.name} returned an invalid result: ${out.error.issues.map((i) => i.message).join("; ")}` };
      return { ok: true, value: out.data };
    }
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onAbort);
  }
}
