// The bundled demo tasks (qa, classify, arithmetic) as served programs, marked kind "demo" and
// source "demo:<name>": they show the product working against the offline demo model.
import { DEMO_TASKS, type DemoTask } from "../../dspex/demos";
import { defineServedProgram } from "./define-served-program";
import { registerProgram, type RegisteredProgram } from "./registry";

export function demoProgram(task: DemoTask): RegisteredProgram {
  const served = defineServedProgram({
    name: task.name,
    description: `Demo: ${task.description}`,
    program: task.makeProgram(),
    signature: task.signature,
    // Predict or ChainOfThought per step is a choice the dashboard and optimizers can make.
    variables: { moduleSelection: true },
    dataset: [...task.dataset.train.map((e) => ({ ...e, split: "train" as const })), ...task.dataset.validation.map((e) => ({ ...e, split: "validation" as const }))],
    metric: task.metric,
  });
  return registerProgram(served, "demo", `demo:${task.name}`);
}

export function demoPrograms(): RegisteredProgram[] {
  return DEMO_TASKS.map(demoProgram);
}
