import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChatAdapter } from "../adapters";
import type { Demo } from "../adapters/types";
import { withReasoning } from "../modules";
import { defineSignature, t, type Signature } from "../signatures";
import { COMPETENCE, DEMO_MODELS, TASK_CUES, competence, createDemoLM, cuesIn, explainDemoReply } from "./index";

const chat = new ChatAdapter();
const problemSig = defineSignature({ instructions: "Solve the word problem.", inputs: { problem: z.string() }, outputs: { answer: t.number() } });
const FOUR_STEPS = "Ana has 10 shells. She finds 6 more. She sells 4 of them. She then ends up with 3 times as many shells. She divides them equally into 2 piles and keeps one pile. How many shells does Ana have now?";
const DEMOS: Demo[] = [
  { problem: "Tom has 3 coins. He finds 2 more. How many coins does Tom have now?", answer: 5 },
  { problem: "Sara has 8 books. She sells 3 of them. How many books does Sara have now?", answer: 5 },
];
const [mini, standard, large] = DEMO_MODELS as unknown as [(typeof DEMO_MODELS)[number], (typeof DEMO_MODELS)[number], (typeof DEMO_MODELS)[number]];

function explain(sig: Signature, instructions: string, demos: Demo[], temperature: number, problem = FOUR_STEPS, model?: string) {
  const call = chat.format(sig, { instructions, demos }, { problem });
  return explainDemoReply({ ...call, temperature, ...(model ? { model } : {}) }, { seed: 0 });
}

describe("competence", () => {
  it("follows the documented formula for arithmetic", () => {
    const base = competence({ task: "arithmetic", steps: 4, instructions: "", demoCount: 0, hasReasoning: false, temperature: 0, model: standard });
    expect(base.p).toBeCloseTo(0.8 - 0.17 * 3, 10);
    const all = competence({ task: "arithmetic", steps: 4, instructions: "Go step by step; apply each operation.", demoCount: 4, hasReasoning: true, temperature: 1.5, model: large });
    expect(all.cuesFound).toEqual(["step by step", "operation"]);
    expect(all.cues).toBeCloseTo(0.12, 10);
    expect(all.demos).toBeCloseTo(0.12 * (1 - 0.6 ** 4), 10);
    expect(all.reasoning).toBeCloseTo(0.02 + 0.1 * 3, 10);
    expect(all.temperature).toBeCloseTo(-0.25 * 1.3, 10);
    expect(all.model).toBe(0.08);
    expect(all.p).toBeCloseTo(0.29 + 0.08 + 0.12 + 0.12 * (1 - 0.6 ** 4) + 0.32 - 0.325, 10);
  });

  it("counts at most two cue words, caps demos at eight and clamps p to [0.02, 0.98]", () => {
    const input = { task: "qa" as const, instructions: "exact span from the passage", demoCount: 50, hasReasoning: true, temperature: 0, model: large };
    const c = competence(input);
    expect(cuesIn("qa", "exact span from the passage")).toEqual(["exact", "span", "passage"]);
    expect(c.cues).toBeCloseTo(COMPETENCE.cueBonus * 2, 10);
    expect(c.demos).toBeCloseTo(0.12 * (1 - 0.6 ** 8), 10);
    expect(c.p).toBe(0.98);
    expect(competence({ ...input, model: mini, instructions: "", demoCount: 0, hasReasoning: false, temperature: 2, ambiguous: true }).p).toBe(0.02);
  });

  it("documents short cue lists for every task", () => {
    for (const cues of Object.values(TASK_CUES)) expect(cues.length).toBeLessThanOrEqual(3);
  });
});

describe("explainDemoReply: the levers as the model reads them from real adapter messages", () => {
  it("reads the instructions, demos, reasoning field, temperature and model out of the request", () => {
    const bare = explain(problemSig, "Solve the word problem.", [], 0);
    expect(bare.task).toBe("arithmetic");
    expect(bare.competence?.base).toBeCloseTo(0.29, 10);
    const full = explain(withReasoning(problemSig), "Work step by step, one operation at a time.", DEMOS, 0.2, FOUR_STEPS, "dspex-demo-large");
    expect(full.demoCount).toBe(2);
    expect(full.competence?.cuesFound).toEqual(["step by step", "operation"]);
    expect(full.competence?.reasoning).toBeCloseTo(0.32, 10);
    expect(full.competence?.model).toBe(0.08);
    expect(full.competence!.p).toBeGreaterThan(bare.competence!.p + 0.5);
    const hot = explain(problemSig, "Solve the word problem.", [], 1.4);
    expect(hot.competence?.temperature).toBeCloseTo(-0.3, 10);
  });

  it("gives no reasoning bonus when the reasoning field comes after the answer", () => {
    const after = defineSignature({ inputs: { problem: z.string() }, outputs: { answer: t.number(), reasoning: z.string() } });
    expect(explain(after, "", [], 0).competence?.reasoning).toBe(0);
  });

  it("writes the steps it took into the reasoning field, wrong steps for a wrong answer", () => {
    let right = 0;
    let wrong = 0;
    for (let i = 0; i < 40; i++) {
      const call = chat.format(withReasoning(problemSig), { instructions: "", demos: [] }, { problem: FOUR_STEPS });
      const e = explainDemoReply({ ...call, rolloutId: `r${i}` });
      const reasoning = String(e.values.reasoning);
      expect(reasoning).toMatch(new RegExp(`So the answer is ${String(e.values.answer)}\\.$`));
      if (e.correct) {
        right++;
        expect(e.values.answer).toBe(18);
        expect(reasoning).toContain("Step 4: 36 / 2 = 18.");
      } else {
        wrong++;
        expect(e.values.answer).not.toBe(18);
      }
    }
    expect(right).toBeGreaterThan(0);
    expect(wrong).toBeGreaterThan(0);
  });

  it("never turns a right answer wrong when a lever improves (the draw ignores the prompt)", () => {
    const problems = Array.from({ length: 30 }, (_, i) => `Omar has ${20 + i} stamps. He buys ${i + 3} more. He loses ${i + 1} stamps on the way home. How many stamps does Omar have now?`);
    let improved = 0;
    for (const problem of problems) {
      const bare = explain(problemSig, "Solve the word problem.", [], 0.9, problem);
      const better = explain(withReasoning(problemSig), "Go step by step.", DEMOS, 0.2, problem);
      expect(better.u).toBe(bare.u);
      if (bare.correct) expect(better.correct).toBe(true);
      if (better.correct && !bare.correct) improved++;
    }
    expect(improved).toBeGreaterThan(0);
  });

  it("matches what the LM actually replies", async () => {
    const call = chat.format(problemSig, { instructions: "x", demos: [] }, { problem: FOUR_STEPS });
    const request = { ...call, rolloutId: "abc", temperature: 0.5 };
    const reply = await createDemoLM({ seed: 4 }).complete(request);
    expect(chat.parse(problemSig, reply.text)).toEqual(explainDemoReply(request, { seed: 4 }).values);
  });
});
