// Programs for tests of failure paths, beside the bundled demos: one that never answers (and
// ignores aborts) and one that throws.
import { Module, signature, type RunContext, type Signature, type Values } from "../../../dspex";
import { defineServedProgram, registerProgram, type RegisteredProgram } from "../../programs";

class NeverAnswers extends Module {
  readonly signature: Signature = signature("question -> answer");
  forward(_inputs: Values, _ctx: RunContext): Promise<Values> {
    return new Promise<Values>(() => {});
  }
}

class Throws extends Module {
  readonly signature: Signature = signature("question -> answer");
  async forward(): Promise<Values> {
    throw new Error("step 2 exploded");
  }
}

/** "slow" never settles (a run past any time limit); "broken" throws a plain Error. */
export function failingPrograms(): RegisteredProgram[] {
  return [
    registerProgram(defineServedProgram({ name: "slow", description: "never answers", program: new NeverAnswers() }), "user", "programs/slow.ts"),
    registerProgram(defineServedProgram({ name: "broken", description: "always throws", program: new Throws() }), "user", "programs/broken.ts"),
  ];
}
