// The bundled demo tasks (lib/dspex/demos) written as Ax programs for the optimizer benchmark:
// the same field names, descriptions, class labels with their descriptions, and a one-line
// instruction (the task's own), so the demo model reads the same task through Ax's prompt as
// through DSPEx's adapters. Reasoning, where used, is a plain output field before the answer
// (ax-peer.md: an internal `reasoning!` field is left out of the prompt yet still parsed).
import { ax, f, type AxGen, type AxGenIn, type AxGenOut, type AxMetricFn } from "@ax-llm/ax";
import { type DemoTask, TICKET_CATEGORIES, demoTask } from "../../lib/dspex/demos";
import type { Example } from "../../lib/dspex/evaluate";

export type AxTaskName = "qa" | "classify" | "arithmetic";
export type AxModuleKind = "predict" | "chain-of-thought";
export type AxProgram = AxGen<AxGenIn, AxGenOut>;
/** One example as Ax takes it: inputs and outputs in one flat object. */
export type AxExample = AxGenIn;

/** The reasoning field's description: ChainOfThought's in DSPEx. */
const REASONING = "Think step by step: the reasoning that leads to the outputs.";

export function benchTask(name: AxTaskName): DemoTask {
  const task = demoTask(name);
  if (!task) throw new Error(`ax-programs: no bundled task "${name}"; known: qa, classify, arithmetic`);
  return task;
}

/** The task's program in Ax, with the task's own one-line instruction and no demos. */
export function axTaskProgram(task: DemoTask, module: AxModuleKind): AxProgram {
  const why = module === "chain-of-thought" ? `reasoning:string "${REASONING}", ` : "";
  let program: AxProgram;
  if (task.name === "qa") {
    program = ax(`context:string "A passage about DSPEx.", question:string "A question about the passage." -> ${why}answer:string "The answer."`) as unknown as AxProgram;
  } else if (task.name === "arithmetic") {
    program = ax(`problem:string "A short word problem about whole quantities." -> ${why}answer:number "The final quantity, as a number."`) as unknown as AxProgram;
  } else {
    const inputs = f().input("ticket", f.string("A customer's support ticket."));
    const reasoned = module === "chain-of-thought" ? inputs.output("reasoning", f.string(REASONING)) : inputs;
    const labels = f.class(Object.keys(TICKET_CATEGORIES)).describeValues({ ...TICKET_CATEGORIES });
    program = ax(reasoned.output("category", labels).build()) as unknown as AxProgram;
  }
  program.setInstruction(task.signature.instructions);
  return program;
}

export function toAxExample(example: Example): AxExample {
  return { ...example.inputs, ...example.outputs } as AxExample;
}

/** The task's metric (lib/dspex/demos) as an Ax metric: the example's outputs against the prediction. */
export function axMetric(task: DemoTask): AxMetricFn {
  const outputNames = task.signature.outputs.map((field) => field.name);
  return ({ prediction, example }) => {
    const outputs = Object.fromEntries(outputNames.map((name) => [name, example[name]]));
    return task.metric({ inputs: {}, outputs }, (prediction ?? {}) as Record<string, unknown>);
  };
}
