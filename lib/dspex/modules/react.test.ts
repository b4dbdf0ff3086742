import { describe, expect, it } from "vitest";
import { z } from "zod";
import { byFields, FakeLM } from "../testing/fake-lm";
import { TraceRecorder } from "../trace";
import { defineTool, ReAct } from "./index";

const add = defineTool({
  name: "add",
  description: "Adds two numbers.",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.number(),
  run: ({ a, b }) => a + b,
});

/** A scripted agent: it plays the given tool calls in order, then finishes and answers from the trajectory. */
function agent(calls: Array<[string, unknown]>) {
  let step = 0;
  return new FakeLM(
    byFields((inputs, outputs) => {
      if (outputs.includes("next_tool_name")) {
        const [tool, args] = calls[step++] ?? ["finish", {}];
        return { next_thought: `step ${step}`, next_tool_name: tool, next_tool_args: args };
      }
      const observations = [...inputs.trajectory!.matchAll(/Observation \d+: (.*)/g)].map((m) => m[1]);
      return { reasoning: "read the trajectory", answer: observations.at(-1) ?? "none" };
    }),
  );
}

describe("ReAct", () => {
  it("calls tools with validated arguments, feeds results back, and extracts the answer", async () => {
    const lm = agent([["add", { a: 2, b: 3 }]]);
    const out = await new ReAct("question -> answer", { tools: [add] }).run({ question: "2+3?" }, lm);
    expect(out.answer).toBe("5");
    expect(out.trajectory).toEqual([{ thought: "step 1", tool: "add", args: { a: 2, b: 3 }, ok: true, observation: "5" }]);
    // The second step saw the first observation; the tool list with its schema was in the instructions.
    expect(lm.requests[1]!.messages.at(-1)!.content).toContain("Observation 1: 5");
    expect(lm.requests[0]!.messages[0]!.content).toMatch(/add: Adds two numbers\. Arguments \(JSON schema\): .*"a"/);
  });

  it("tells the model about bad arguments and tool failures instead of failing", async () => {
    const broken = defineTool({ name: "broken", description: "Always fails.", input: z.object({}), run: () => { throw new Error("disk on fire"); } });
    const lm = agent([
      ["add", { a: "two", b: 3 }],
      ["broken", {}],
    ]);
    const out = await new ReAct("question -> answer", { tools: [add, broken] }).run({ question: "?" }, lm);
    expect(out.trajectory.map((s) => [s.ok, s.observation])).toEqual([
      [false, expect.stringMatching(/^Error: invalid arguments for add: a: /)],
      [false, "Error: disk on fire"],
    ]);
  });

  it("shows the model its mistake when it names a tool that does not exist", async () => {
    const lm = agent([["multiply", { a: 1 }], ["add", { a: 1, b: 1 }]]);
    const out = await new ReAct("question -> answer", { tools: [add] }).run({ question: "?" }, lm);
    // The tool name is constrained to the known tools: the bad step is retried with the reason.
    expect(lm.requests[1]!.messages.at(-1)!.content).toMatch(/next_tool_name/);
    expect(lm.requests[1]!.messages.at(-1)!.content).toMatch(/add/);
    expect(out.trajectory.map((s) => s.tool)).toEqual(["add"]);
  });

  it("stops at the step limit and still extracts an answer", async () => {
    const loop = Array.from({ length: 10 }, () => ["add", { a: 1, b: 1 }] as [string, unknown]);
    const lm = agent(loop);
    const out = await new ReAct("question -> answer", { tools: [add], maxSteps: 3 }).run({ question: "?" }, lm);
    expect(out.trajectory).toHaveLength(3);
    expect(lm.requests).toHaveLength(4); // three steps and the extraction
  });

  it("abandons a tool that exceeds its time limit", async () => {
    const slow = defineTool({ name: "slow", description: "Never returns.", input: z.object({}), timeoutMs: 20, run: () => new Promise(() => {}) });
    const out = await new ReAct("question -> answer", { tools: [slow], maxSteps: 1 }).run({ question: "?" }, agent([["slow", {}]]));
    expect(out.trajectory[0]!.observation).toBe("Error: slow timed out after 20 ms");
  });

  it("records each tool call as a span under the ReAct span", async () => {
    const tracer = new TraceRecorder();
    await new ReAct("question -> answer", { tools: [add] }).run({ question: "?" }, { lm: agent([["add", { a: 1, b: 2 }]]), tracer });
    const tool = tracer.spans.find((s) => s.kind === "tool")!;
    expect(tool).toMatchObject({ name: "add", status: "ok", outputs: 3, inputs: { a: 1, b: 2 } });
    expect(tool.parentId).toBe(tracer.spans[0]!.id);
  });

  it("refuses bad options with a clear message", () => {
    expect(() => new ReAct("q -> a", { tools: [] })).toThrow("ReAct: give at least one tool");
    expect(() => new ReAct("q -> a", { tools: [add, add] })).toThrow(/tool names must be unique/);
    expect(() => new ReAct("q -> a", { tools: [add], maxSteps: 0 })).toThrow(/maxSteps must be a positive integer/);
    expect(() => defineTool({ name: "finish", description: "", input: z.object({}), run: () => 1 })).toThrow(/reserved/);
  });
});
