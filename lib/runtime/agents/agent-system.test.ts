// toAgentSystem: the same outputs as the direct program on a dataset, steps served by pools of
// supervised agents, balancing, errors as the direct program raises them, and stop.
import { describe, expect, it } from "vitest";
import { ChainOfThought, Predict, TraceRecorder, createDemoLM, defineProgram, evaluate, type Module, type Values } from "../../dspex";
import { arithmeticTask, qaTask } from "../../dspex/demos";
import { FakeLM, byFields } from "../../dspex/testing";
import { toAgentSystem, type AgentStateEvent } from "./index";

function threeStep() {
  return defineProgram({
    name: "qa-pipeline",
    modules: {
      rewrite: new Predict("question, context -> query"),
      answer: new ChainOfThought("query, question, context -> answer"),
      polish: new Predict("answer -> final_answer"),
    },
    async forward(inputs: { question: string; context: string }, m, ctx) {
      const { query } = await m.rewrite.run(inputs, ctx);
      const { answer } = await m.answer.run({ query, question: inputs.question, context: inputs.context }, ctx);
      return m.polish.run({ answer }, ctx) as Promise<Values>;
    },
  });
}

describe("toAgentSystem", () => {
  it("gives the direct program's outputs on every example of a dataset (demo LM), with pools per step", async () => {
    const lm = createDemoLM();
    const program = threeStep();
    const examples = qaTask.dataset.validation.slice(0, 12);
    const direct = [];
    for (const ex of examples) direct.push(await program.run(ex.inputs as { question: string; context: string }, lm));
    const events: AgentStateEvent[] = [];
    const system = await toAgentSystem(program, { lm, pools: { answer: 3 }, publish: (e) => events.push(e) });
    expect(system.steps).toEqual(["rewrite", "answer", "polish"]);
    expect(system.agents.map((a) => a.id)).toEqual(["rewrite-0", "answer-0", "answer-1", "answer-2", "polish-0"]);
    const viaAgents = await Promise.all(examples.map((ex) => system.run(ex.inputs as { question: string; context: string })));
    expect(viaAgents).toEqual(direct);
    const stats = system.stats();
    expect(stats.runs).toBe(12);
    expect(stats.steps.find((s) => s.step === "answer")!.agents.map((a) => a.processed).reduce((x, y) => x + y)).toBe(12);
    expect(stats.steps.find((s) => s.step === "answer")!.agents.every((a) => a.processed > 0)).toBe(true);
    expect(events.some((e) => e.systemId === system.id && e.agentId === "answer-1")).toBe(true);
    await system.stop();
    expect(system.agents.every((a) => a.state === "stopped")).toBe(true);
  });

  it("scores the same as the direct program under evaluate() (a single-step demo program)", async () => {
    const lm = createDemoLM();
    const program = arithmeticTask.makeProgram({ module: "chain-of-thought" });
    const data = arithmeticTask.dataset.validation.slice(0, 10);
    const direct = await evaluate(program, data, arithmeticTask.metric, { lm });
    const system = await toAgentSystem(program as Module, { lm, poolSize: 2, balance: "round-robin" });
    expect(system.steps).toEqual(["predict"]);
    const proxy = { run: (inputs: Values) => system.run(inputs) };
    const scores = [];
    for (const ex of data) scores.push(arithmeticTask.metric(ex, await proxy.run(ex.inputs)));
    expect(scores.reduce((a, b) => a + b, 0) / data.length).toBeCloseTo(direct.mean, 10);
    await system.stop();
  });

  it("a program that is itself one Predict is one step; the step's LM error reaches the caller unchanged", async () => {
    const ok = new FakeLM(byFields((inputs) => ({ answer: inputs.question!.toUpperCase() })));
    const program = new Predict("question -> answer");
    const system = await toAgentSystem(program, { lm: ok });
    expect(system.steps).toEqual([""]);
    expect(await system.run({ question: "abc" })).toEqual({ answer: "ABC" });
    const broken = new FakeLM([new Error("provider down")]);
    const direct = await program.run({ question: "x" }, broken).catch((e: unknown) => e);
    const viaAgents = await system.run({ question: "x" }, broken).catch((e: unknown) => e);
    expect(String(viaAgents)).toBe(String(direct));
    expect(await system.run({ question: "again" })).toEqual({ answer: "AGAIN" });
    await system.stop();
  });

  it("with depth, nested sub-modules are agents too: a step's agent messages its sub-steps' agents, each message a span of the run", async () => {
    const lm = createDemoLM();
    const inner = defineProgram({
      name: "answerer",
      modules: { rewrite: new Predict("question, context -> query"), answer: new ChainOfThought("query, question, context -> answer") },
      async forward(inputs: { question: string; context: string }, m, ctx) {
        const { query } = await m.rewrite.run(inputs, ctx);
        return m.answer.run({ query, ...inputs }, ctx) as Promise<Values>;
      },
    });
    const program = defineProgram({
      name: "outer",
      modules: { solve: inner, polish: new Predict("answer -> final_answer") },
      async forward(inputs: { question: string; context: string }, m, ctx) {
        const { answer } = await m.solve.run(inputs, ctx);
        return m.polish.run({ answer }, ctx) as Promise<Values>;
      },
    });
    const examples = qaTask.dataset.validation.slice(0, 4);
    const direct = [];
    for (const ex of examples) direct.push(await program.run(ex.inputs as { question: string; context: string }, lm));
    const system = await toAgentSystem(program, { lm, depth: 2, pools: { "solve.answer": 2 } });
    expect(system.steps).toEqual(["solve", "solve.rewrite", "solve.answer", "polish"]);
    const tracer = new TraceRecorder();
    const viaAgents = [];
    for (const ex of examples) viaAgents.push(await system.run(ex.inputs as { question: string; context: string }, { lm, tracer }));
    expect(viaAgents).toEqual(direct);
    const stats = system.stats();
    expect(stats.steps.find((s) => s.step === "solve.answer")!.agents.reduce((n, a) => n + a.processed, 0)).toBe(4);

    // One run's trace: program -> message to "solve" -> the solve module on its agent -> messages to
    // its sub-steps -> their modules -> predict spans with the LM calls.
    const byId = new Map(tracer.spans.map((s) => [s.id, s]));
    const [root] = tracer.spans.filter((s) => s.kind === "program");
    const runSpans = tracer.spans.filter((s) => {
      let p: typeof s | undefined = s;
      while (p?.parentId) p = byId.get(p.parentId);
      return p === root;
    });
    const messages = runSpans.filter((s) => s.kind === "message");
    expect(messages.map((s) => s.attributes?.type)).toEqual(["step:solve", "step:solve.rewrite", "step:solve.answer", "step:polish"]);
    const parentOf = (s: { parentId?: string }) => byId.get(s.parentId!)!;
    const solveMsg = messages[0]!;
    expect(parentOf(solveMsg)).toBe(root);
    const solveModule = runSpans.find((s) => s.parentId === solveMsg.id)!;
    expect(solveModule).toMatchObject({ kind: "module", path: "solve" });
    expect(parentOf(messages[1]!)).toBe(solveModule);
    expect(messages[1]!.attributes?.to).toBe("solve.rewrite-0");
    const answerModule = runSpans.find((s) => s.parentId === messages[2]!.id)!;
    expect(answerModule).toMatchObject({ path: "solve.answer" });
    expect(runSpans.some((s) => s.kind === "predict" && s.path === "solve.answer.predict")).toBe(true);
    expect(tracer.lmCalls.length).toBe(examples.length * 3);
    await system.stop();
  });

  it("refuses unknown pool names and bad sizes", async () => {
    const lm = new FakeLM(["x"]);
    await expect(toAgentSystem(threeStep(), { lm, pools: { nope: 2 } })).rejects.toThrow('no step "nope"; steps: "rewrite", "answer", "polish"');
    await expect(toAgentSystem(threeStep(), { lm, poolSize: 0 })).rejects.toThrow("must be a positive integer (got 0)");
  });
});
