// The demo model reads Ax's prompt format as well as DSPEx's: real Ax programs (@ax-llm/ax, a
// devDependency) sent over HTTP to serveLM(createDemoLM()) get parsed answers, and the same task,
// instructions, demos, reasoning field and temperature give the same competence, draw and accuracy
// through Ax's format as through DSPEx's chat adapter.
import { AxGEPA, ai, ax, f, type AxAIOpenAIModel, type AxAIService, type AxGen, type AxGenIn, type AxGenOut } from "@ax-llm/ax";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatAdapter, type Demo } from "../adapters";
import { DEMO_TASKS, TICKET_CATEGORIES, type DemoTask } from "../demos";
import { evaluate } from "../evaluate";
import { withReasoning } from "../modules";
import { serveLM, toLMRequest, type OpenAIServer } from "../testing";
import { createDemoLM, explainDemoReply } from "./index";

const REASONING = "Think step by step: the reasoning that leads to the outputs.";
const GOOD_INSTRUCTIONS: Record<string, string> = {
  arithmetic: "Work through the problem step by step, applying each operation in order, and give the final whole number.",
  qa: "Answer with the exact short span from the passage that answers the question.",
  classify: "Read the ticket and choose the single category whose description fits it closest.",
};

interface Setting {
  readonly instructions?: string;
  readonly demos?: number;
  readonly reasoning?: boolean;
  readonly temperature?: number;
}

type AxProgram = AxGen<AxGenIn, AxGenOut>;

/** The bundled task's signature written as an Ax program (the same names, descriptions and labels). */
function axProgram(task: DemoTask, reasoning: boolean): AxProgram {
  const why = reasoning ? `reasoning:string "${REASONING}", ` : "";
  if (task.name === "qa") return ax(`context:string "A passage about DSPEx.", question:string "A question about the passage." -> ${why}answer:string "The answer."`) as unknown as AxProgram;
  if (task.name === "arithmetic") return ax(`problem:string "A short word problem about whole quantities." -> ${why}answer:number "The final quantity, as a number."`) as unknown as AxProgram;
  const base = f().input("ticket", f.string("A customer's support ticket."));
  const withWhy = reasoning ? base.output("reasoning", f.string(REASONING)) : base;
  return ax(withWhy.output("category", f.class(Object.keys(TICKET_CATEGORIES)).describeValues({ ...TICKET_CATEGORIES })).build()) as unknown as AxProgram;
}

function demosOf(task: DemoTask, k: number): Demo[] {
  return task.dataset.train.slice(0, k).map((ex) => ({ ...ex.inputs, ...ex.outputs }));
}

function configured(task: DemoTask, s: Setting) {
  const program = axProgram(task, s.reasoning ?? false);
  program.setInstruction(s.instructions ?? task.signature.instructions);
  const demos = demosOf(task, s.demos ?? 0);
  if (demos.length > 0) program.setDemos([{ programId: program.getId(), traces: demos as never[] }]);
  return program;
}

let server: OpenAIServer;
const SEED = 3;

function axClient(temperature = 0): AxAIService {
  return ai({ name: "openai", apiKey: "local", apiURL: server.baseURL, config: { model: "dspex-demo-1" as AxAIOpenAIModel, stream: false, temperature } });
}

/** Mean metric over the validation set through Ax; every reply must parse on the first try. */
async function axAccuracy(task: DemoTask, s: Setting): Promise<number> {
  const program = configured(task, s);
  const llm = axClient(s.temperature ?? 0);
  const before = server.requestCount;
  let sum = 0;
  for (const ex of task.dataset.validation) sum += task.metric(ex, (await program.forward(llm, ex.inputs as never, { maxRetries: 0 })) as never);
  expect(server.requestCount - before).toBe(task.dataset.validation.length);
  return sum / task.dataset.validation.length;
}

async function dspexAccuracy(task: DemoTask, s: Setting): Promise<number> {
  const program = task.makeProgram({
    instructions: s.instructions ?? task.signature.instructions,
    demos: demosOf(task, s.demos ?? 0),
    module: s.reasoning ? "chain-of-thought" : "predict",
    settings: { temperature: s.temperature ?? 0 },
  });
  const report = await evaluate(program, task.dataset.validation, task.metric, { lm: createDemoLM({ seed: SEED }) }, { concurrency: 4, keepTraces: false });
  expect(report.errors).toBe(0);
  return report.mean;
}

beforeAll(async () => {
  server = await serveLM(createDemoLM({ seed: SEED }));
});
afterAll(async () => {
  await server.close();
});

describe.each(DEMO_TASKS.map((task) => [task.name, task] as const))("Ax's format on the %s task", (_name, task) => {
  it("reads instructions, demos, inputs and the reasoning field from Ax's request exactly as from DSPEx's", async () => {
    const s: Setting = { instructions: GOOD_INSTRUCTIONS[task.name], demos: 3, reasoning: true };
    const example = task.dataset.validation[0]!;
    server.reset();
    await configured(task, s).forward(axClient(), example.inputs as never);
    const viaAx = explainDemoReply(toLMRequest(server.requests[0]!.body), { seed: SEED });
    const signature = withReasoning(task.signature);
    const call = new ChatAdapter().format(signature, { instructions: s.instructions!, demos: demosOf(task, 3) }, example.inputs);
    const viaDspex = explainDemoReply({ ...call, temperature: 0 }, { seed: SEED });
    expect(viaAx.dialect).toBe("ax");
    expect(viaDspex.dialect).toBe("dspex");
    expect(viaAx.task).toBe(task.name);
    expect(viaAx.instructions).toBe(s.instructions);
    expect(viaAx.demoCount).toBe(3);
    expect(viaAx.inputs).toEqual(viaDspex.inputs);
    expect(viaAx.competence).toEqual(viaDspex.competence);
    expect(viaAx.u).toBe(viaDspex.u);
    expect(viaAx.values).toEqual(viaDspex.values);
  });

  it("matches the chat adapter's accuracy for the same settings, and every lever raises it through Ax too", async () => {
    const bare: Setting = { instructions: task.signature.instructions };
    const settings: Record<string, Setting> = {
      bare,
      instructions: { instructions: GOOD_INSTRUCTIONS[task.name] },
      demos: { ...bare, demos: 4 },
      reasoning: { ...bare, reasoning: true },
      best: { instructions: GOOD_INSTRUCTIONS[task.name], demos: 4, reasoning: true, temperature: 0.2 },
      hot: { ...bare, temperature: 1.5 },
    };
    const ax: Record<string, number> = {};
    for (const [name, s] of Object.entries(settings)) {
      ax[name] = await axAccuracy(task, s);
      expect(Math.abs(ax[name]! - (await dspexAccuracy(task, s)))).toBeLessThanOrEqual(0.05);
    }
    expect(ax.instructions).toBeGreaterThan(ax.bare!);
    expect(ax.demos).toBeGreaterThan(ax.bare!);
    expect(ax.best).toBeGreaterThan(ax.bare! + 0.15);
    expect(ax.hot).toBeLessThan(ax.bare!);
    if (task.name === "arithmetic") expect(ax.reasoning).toBeGreaterThan(ax.bare! + 0.1);
  });
});

describe("Ax's other requests", () => {
  it("answers an object output with one JSON object that Ax parses", async () => {
    const program = ax('passage:string "A passage." -> summary:string "A summary.", facts:object { topic:string, sentences:number } "Facts about it."');
    const out = await program.forward(axClient(), { passage: "DSPEx is a TypeScript platform. It has a runtime." }, { maxRetries: 0 });
    expect(typeof out.summary).toBe("string");
    expect(Object.keys(out.facts as object).sort()).toEqual(["sentences", "topic"]);
    expect(server.requests.at(-1)?.body.response_format).toBeDefined();
  });

  it("fills lists, labels without descriptions and optional outputs the way Ax parses them", async () => {
    const program = ax('review:string "A product review." -> tags:string[] "Keywords.", mood:class "glad, upset", note?:string "Anything else."');
    const out = await program.forward(axClient(), { review: "I am so glad, the printer works and prints fast." }, { maxRetries: 0 });
    expect(Array.isArray(out.tags)).toBe(true);
    expect(out.mood).toBe("glad");
    expect(typeof out.note).toBe("string");
  });

  it("answers every request of an AxGEPA run, writing new instructions for its reflection, some with the task's cue words", async () => {
    const task = DEMO_TASKS.find((t) => t.name === "arithmetic")!;
    const program = configured(task, {});
    const toAx = (ex: (typeof task.dataset.train)[number]) => ({ ...ex.inputs, ...ex.outputs }) as AxGenIn;
    const metric = ({ prediction, example }: { prediction: unknown; example: Record<string, unknown> }) => task.metric({ inputs: {}, outputs: { answer: example.answer } } as never, prediction as never);
    server.reset();
    const gepa = new AxGEPA({ studentAI: axClient(), numTrials: 8, minibatchSize: 3, earlyStoppingTrials: 8, seed: 1, verbose: false });
    const result = await gepa.compile(program, task.dataset.train.slice(0, 24).map(toAx), metric, { validationExamples: task.dataset.validation.slice(0, 12).map(toAx), maxMetricCalls: 120 });
    expect(result.bestScore).toBeGreaterThan(0);
    const read = server.requests.map((r) => explainDemoReply(toLMRequest(r.body)));
    expect(read.every((e) => e.dialect === "ax")).toBe(true);
    // Student calls are the task; the rest are GEPA's feedback summary and new-instruction calls.
    const kinds = new Set(read.map((e) => (e.task ? `task:${e.task}` : e.outputFields.join(","))));
    expect([...kinds].sort()).toEqual(["feedbackSummary", "new_instruction", "task:arithmetic"]);
    const texts = read.filter((e) => e.outputFields.includes("new_instruction")).map((e) => String(e.values.new_instruction));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.length > 16)).toBe(true);
    expect(texts.some((t) => /step by step|operation|whole number/i.test(t))).toBe(true);
  });

  it("answers GEPA's free-text reflection prompt with an instruction inside ``` fences", async () => {
    const content =
      "I provided an assistant with the following instructions to perform a task for me:\n```\nSolve the word problem.\n```\n\nThe following are examples of different task inputs provided to the assistant along with the assistant's response for each of them, and some feedback on how the assistant's response could be better:\n```\n# Example 1\n## Inputs\n### problem\nTom has 3 coins. He finds 2 more. How many coins does he have?\n\n## Generated Outputs\n### answer\n1\n\n## Feedback\nThis trajectory got a score of 0.000.\n```\n\nYour task is to write a new instruction for the assistant. Provide the new instructions within ``` blocks.";
    const reply = await createDemoLM({ seed: 1 }).complete({ messages: [{ role: "user", content }] });
    const m = /^```\n([\s\S]+)\n```$/.exec(reply.text);
    expect(m?.[1]?.length).toBeGreaterThan(16);
    expect(m?.[1]).not.toContain("DSPEx demo model");
  });

  it("maps Ax's Title-case names of camelCase fields to the task's fields, case-insensitively", async () => {
    const program = ax('passageText:string "A passage.", userQuestion:string "A question." -> shortAnswer:string "The answer."');
    program.setInstruction("Quote the exact span.");
    const context = "DSPEx is written in TypeScript. Its runtime supervises actors.";
    const out = await program.forward(axClient(), { passageText: context, userQuestion: "In which language is DSPEx written?" }, { maxRetries: 0 });
    const e = explainDemoReply(toLMRequest(server.requests.at(-1)!.body), { seed: SEED });
    expect(e.task).toBe("qa");
    expect(Object.keys(e.inputs)).toEqual(["passage_text", "user_question"]);
    expect(e.competence?.cuesFound).toEqual(["exact", "span"]);
    expect(out.shortAnswer).toBe(e.values.shortAnswer);
  });

  it("answers Ax's correction turn with the same answer, correctly formatted", async () => {
    const task = DEMO_TASKS.find((t) => t.name === "arithmetic")!;
    server.reset();
    await configured(task, { demos: 2 }).forward(axClient(), task.dataset.validation[5]!.inputs as never);
    const first = toLMRequest(server.requests[0]!.body);
    const lm = createDemoLM({ seed: SEED });
    const original = await lm.complete(first);
    const retry = await lm.complete({
      ...first,
      messages: [...first.messages, { role: "assistant", content: "nonsense" }, { role: "user", content: "Invalid Field: Field 'Answer' has an invalid value 'nonsense': Invalid number." }],
    });
    expect(original.text).toMatch(/^answer: -?\d+$/);
    expect(retry.text).toBe(original.text);
  });

  it("keeps DSPEx's own requests on the DSPEx reader", () => {
    const task = DEMO_TASKS[0]!;
    const call = new ChatAdapter().format(task.signature, { instructions: "x", demos: [] }, task.dataset.validation[0]!.inputs);
    expect(explainDemoReply(call).dialect).toBe("dspex");
  });
});
