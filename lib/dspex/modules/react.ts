import { z } from "zod";
import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { fieldTypeOf, signature as parseSignature, t } from "../signatures";
import type { Signature, Values } from "../signatures/types";
import { ChainOfThought } from "./chain-of-thought";
import { Module } from "./module";
import { checkPredictOptions, predictOptionsOf } from "./option-keys";
import { Predict, type PredictOptions } from "./predict";
import { invokeTool, toolArgsSchema, type Tool } from "./tool";

export interface TrajectoryStep {
  readonly thought: string;
  readonly tool: string;
  readonly args: unknown;
  readonly observation: string;
  readonly ok: boolean;
}

export interface ReActOptions extends PredictOptions {
  readonly tools: readonly Tool[];
  /** Tool calls at most before the answer is extracted from what was gathered (default 8). */
  readonly maxSteps?: number;
}

export type ReActOutputs<O extends Values> = O & { trajectory: TrajectoryStep[] };

const MAX_OBSERVATION = 4_000;

function describeTools(tools: readonly Tool[]): string {
  const lines = tools.map((tool) => `- ${tool.name}: ${tool.description} Arguments (JSON schema): ${JSON.stringify(toolArgsSchema(tool))}`);
  lines.push('- finish: every output can now be given; use it with {} as arguments.');
  return lines.join("\n");
}

export function formatTrajectory(steps: readonly TrajectoryStep[]): string {
  if (steps.length === 0) return "(no steps yet)";
  return steps
    .map((s, i) => `Thought ${i + 1}: ${s.thought}\nTool ${i + 1}: ${s.tool} ${JSON.stringify(s.args)}\nObservation ${i + 1}: ${s.observation}`)
    .join("\n\n");
}

/**
 * Reasoning and acting: the model picks a tool and its arguments step by step, sees each
 * result (tool errors included), and when it calls "finish" (or runs out of steps) a final
 * step extracts the outputs from the whole trajectory.
 */
export class ReAct<I extends Values = Values, O extends Values = Values> extends Module<I, ReActOutputs<O>> {
  readonly baseSignature: Signature<I, O>;
  readonly tools: readonly Tool[];
  readonly maxSteps: number;
  readonly react: Predict;
  readonly extract: ChainOfThought;

  constructor(signature: Signature<I, O> | string, options: ReActOptions) {
    super();
    checkPredictOptions("ReAct", options, ["tools", "maxSteps"]);
    const base = typeof signature === "string" ? (parseSignature(signature) as unknown as Signature<I, O>) : signature;
    const names = options.tools.map((tool) => tool.name);
    if (new Set(names).size !== names.length) throw new DspexError("OPTION_INVALID", `ReAct: tool names must be unique; got ${names.join(", ")}`);
    if (names.length === 0) throw new DspexError("OPTION_INVALID", "ReAct: give at least one tool (options.tools)");
    this.baseSignature = base;
    this.tools = options.tools;
    this.maxSteps = options.maxSteps ?? 8;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1) throw new DspexError("OPTION_INVALID", `ReAct: maxSteps must be a positive integer; got ${String(options.maxSteps)}`);

    const trajectory = fieldTypeOf(t.string());
    const outputs = base.outputs.map((f) => `\`${f.name}\``).join(", ");
    const stepSignature = base.outputs
      .reduce<Signature>((sig, f) => sig.withoutField(f.name), base as unknown as Signature)
      .appendInput("trajectory", trajectory, { description: "The tools called so far and what they returned." })
      .appendOutput("next_thought", fieldTypeOf(t.string()), { description: "What to do next and why." })
      .appendOutput("next_tool_name", fieldTypeOf(t.labels([...names, "finish"])), { description: "The tool to call next." })
      .appendOutput("next_tool_args", fieldTypeOf(t.json(z.record(z.string(), z.unknown()))), { description: "The tool's arguments as a JSON object." })
      .withInstructions(
        `${base.instructions}\n\nYou work step by step with tools to gather what you need to produce ${outputs}. ` +
          `At each step give your next thought, then the tool to call and its arguments. ` +
          `When you can produce every output, call finish. Tools:\n${describeTools(options.tools)}`,
      );
    this.react = new Predict(stepSignature, predictOptionsOf(options));
    this.extract = new ChainOfThought(
      (base as unknown as Signature).appendInput("trajectory", trajectory, { description: "The tools called and what they returned." }),
      { settings: options.settings, adapter: options.adapter },
    );
  }

  async forward(inputs: I, ctx: RunContext): Promise<ReActOutputs<O>> {
    const steps: TrajectoryStep[] = [];
    for (let i = 0; i < this.maxSteps; i++) {
      const step = await this.react.run({ ...inputs, trajectory: formatTrajectory(steps) }, ctx);
      const name = String(step.next_tool_name);
      const thought = String(step.next_thought ?? "");
      if (name === "finish") break;
      const tool = this.tools.find((candidate) => candidate.name === name);
      const args = step.next_tool_args ?? {};
      const outcome = tool ? await this.callTool(tool, args, ctx) : { ok: false as const, error: `unknown tool "${name}"` };
      steps.push({
        thought,
        tool: name,
        args,
        ok: outcome.ok,
        observation: truncate(outcome.ok ? render(outcome.value) : `Error: ${outcome.error}`),
      });
    }
    const extracted = await this.extract.run({ ...inputs, trajectory: formatTrajectory(steps) }, ctx);
    const { reasoning: _reasoning, ...outputs } = extracted;
    return { ...(outputs as O), trajectory: steps };
  }

  private async callTool(tool: Tool, args: unknown, ctx: RunContext) {
    const tracer = ctx.tracer;
    const spanId = tracer?.startSpan({ name: tool.name, kind: "tool", parentId: ctx.parentSpanId, path: ctx.path, inputs: args });
    const outcome = await invokeTool(tool, args, ctx.signal);
    if (tracer && spanId) tracer.endSpan(spanId, outcome.ok ? { status: "ok", outputs: outcome.value } : { status: "error", error: outcome.error });
    return outcome;
  }
}

function render(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function truncate(text: string): string {
  return text.length > MAX_OBSERVATION ? `${text.slice(0, MAX_OBSERVATION)}… (${text.length - MAX_OBSERVATION} more characters)` : text;
}
