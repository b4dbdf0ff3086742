// Every optimizer under budgets of 30, 60 and 120 LM calls (see testing/budget-contract.ts).
import { RandomSampler, TpeSampler } from "../samplers";
import {
  Alternate,
  BootstrapFewShot,
  BootstrapFewShotWithRandomSearch,
  GeneticSearch,
  Gepa,
  LabeledFewShot,
  MIPROv2,
  optimize,
  ReflectRace,
  SamplerSearch,
  Simba,
} from "./index";
import { describeBudgetContract } from "./testing/budget-contract";

describeBudgetContract("LabeledFewShot", () => new LabeledFewShot());
describeBudgetContract("BootstrapFewShot", () => new BootstrapFewShot());
describeBudgetContract("BootstrapFewShotWithRandomSearch", () => new BootstrapFewShotWithRandomSearch());
describeBudgetContract("MIPROv2", () => new MIPROv2());
describeBudgetContract("SIMBA", () => new Simba());
describeBudgetContract("GEPA", () => new Gepa());
describeBudgetContract("TPE search", () => new SamplerSearch({ sampler: new TpeSampler() }));
describeBudgetContract("random search", () => new SamplerSearch({ sampler: new RandomSampler() }));
describeBudgetContract("genetic search", () => new GeneticSearch());
describeBudgetContract("bootstrap + GEPA", () =>
  new Alternate([
    { optimizer: new BootstrapFewShot(), variables: (v) => v.kind === "demos" },
    { optimizer: new Gepa(), variables: (v) => v.kind === "text" },
  ]),
);
describeBudgetContract("ReflectRace", () => new ReflectRace());
for (const optimizer of ["auto", "bootstrap-random-search", "mipro-v2", "simba", "gepa"] as const) {
  describeBudgetContract(`optimize() (${optimizer}, planned from the budget)`, { run: (args) => optimize(args.program, args.trainset, { ...args, optimizer }) });
}
