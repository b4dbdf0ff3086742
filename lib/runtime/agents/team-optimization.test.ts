// Multi-agent optimization: every member's variables and the team sizes in one namespaced
// VariableSpace, searched by the existing optimizers to raise a team-level metric (FakeLM).
import { describe, expect, it } from "vitest";
import { Predict, type Example, type Values } from "../../dspex";
import { FakeLM, inputsOf, markerReply } from "../../dspex/testing";
import { optimizeTeam, teamProgram, teamSpace, vote } from "./index";

// Solvers answer right only when cool (temperature < 0.4); the checker passes answers through.
const lm = new FakeLM((request) => {
  const inputs = inputsOf(request);
  if ("question" in inputs) {
    const [a, b] = inputs.question!.split("+").map(Number);
    return markerReply({ answer: (request.temperature ?? 0.7) < 0.4 ? String(a! + b!) : "no idea" });
  }
  return markerReply({ final: inputs.answer });
});

function makeTeam() {
  return teamProgram({
    name: "adders",
    members: {
      solver: { role: new Predict("question -> answer"), size: { low: 1, high: 3, default: 1 } },
      checker: { role: new Predict("answer -> final") },
    },
    async coordinate(team, inputs: { question: string }) {
      const voted = await vote(team.team, inputs, { capability: "solver", voters: team.agents("solver").length });
      const checked = await team.team.dispatch<Values>({ capability: "checker", payload: { answer: (voted.output as { answer: string }).answer } });
      return { answer: String(checked.output.final) };
    },
  });
}

const data: Example[] = [
  { inputs: { question: "1+2" }, outputs: { answer: "3" } },
  { inputs: { question: "20+22" }, outputs: { answer: "42" } },
  { inputs: { question: "5+5" }, outputs: { answer: "10" } },
];
const metric = (ex: Example, pred: Values) => (pred.answer === ex.outputs.answer ? 1 : 0);

describe("team optimization", () => {
  it("puts every member's variables and the team sizes in one space, namespaced per member", () => {
    const space = teamSpace(makeTeam());
    expect(space.names.sort()).toEqual(["checker.demos", "checker.instructions", "checker.temperature", "solver.demos", "solver.instructions", "solver.size", "solver.temperature"]);
    const withModels = teamSpace(makeTeam(), { models: ["small", "large"] });
    expect(withModels.names).toContain("solver.model");
  });

  it("runs the configured team: a configuration's size starts that many solver agents", async () => {
    const program = makeTeam();
    const space = teamSpace(program);
    const three = space.apply(program, { "solver.size": 3, "solver.temperature": 0.1 });
    expect(three.sizes()).toEqual({ solver: 3, checker: 1 });
    expect(await three.run({ question: "2+2" }, lm)).toEqual({ answer: "4" });
    expect(await program.run({ question: "2+2" }, lm)).toEqual({ answer: "no idea" });
  });

  for (const sampler of ["tpe", "random", "genetic"] as const) {
    it(`the ${sampler} sampler improves the team metric over the baseline`, async () => {
      const report = await optimizeTeam({ program: makeTeam(), trainset: data, valset: data, metric, lm, sampler, trials: 12, seed: 3, budget: { lmCalls: 2000 } });
      expect(report.baselineScore).toBe(0);
      expect(report.bestScore).toBe(1);
      expect(report.config["solver.temperature"]).toBeLessThan(0.4);
      expect(await report.program.run({ question: "7+8" }, lm)).toEqual({ answer: "15" });
    });
  }
});
