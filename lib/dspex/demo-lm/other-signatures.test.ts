import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChatAdapter, JSONAdapter } from "../adapters";
import { Predict } from "../modules";
import { defineSignature, signature, t } from "../signatures";
import { TASK_CUES, createDemoLM, cuesIn, explainDemoReply } from "./index";

const everyType = defineSignature({
  inputs: { text: z.string(), pages: z.number() },
  outputs: {
    summary: z.string(),
    whole: t.integer(),
    amount: t.number(),
    flag: t.boolean(),
    p: t.probability(),
    sure: t.confidence(),
    mood: t.labels({ glad: "the writer is happy or pleased", upset: "the writer is angry or sad" }),
    rating: t.score(1, 5),
    tags: t.list(t.string(), { min: 1, max: 2 }),
    odds: t.list(t.probability()),
    meta: t.json(z.object({ title: z.string(), pages: z.number().int() })),
    free: t.json(),
    vec: t.embedding(6),
  },
});
const INPUTS = { text: "I am so pleased with the new printer, it prints 40 pages a minute.", pages: 12 };

describe("generic signatures get valid typed outputs", () => {
  for (const adapter of ["chat", "json"] as const) {
    it(`fills every field kind validly through the ${adapter} adapter, with no retry`, async () => {
      const lm = createDemoLM({ seed: 2 });
      let calls = 0;
      const counting = { ...lm, complete: (...args: Parameters<typeof lm.complete>) => (calls++, lm.complete(...args)) };
      const out = await new Predict(everyType, { adapter }).run(INPUTS, { lm: counting, fallbackAdapter: null, maxRetries: 0 });
      expect(calls).toBe(1);
      expect(everyType.validateOutputs(out)).toEqual(out);
      expect(out.mood).toBe("glad");
      expect(out.tags.length).toBeGreaterThanOrEqual(1);
      expect(out.tags.length).toBeLessThanOrEqual(2);
      expect(out.vec).toHaveLength(6);
      expect(Math.hypot(...out.vec)).toBeCloseTo(1, 4);
      expect(Object.keys(out.meta).sort()).toEqual(["pages", "title"]);
      expect(out.rating).toBeGreaterThanOrEqual(1);
      expect(out.rating).toBeLessThanOrEqual(5);
      expect(out.summary.length).toBeGreaterThan(0);
    });
  }

  it("fills shorthand signatures, embedding the same text the same way", async () => {
    const sig = signature("document -> title, keywords: string[], kind: labels(memo, report), v: embedding(4)");
    const lm = createDemoLM();
    const a = await new Predict(sig).run({ document: "Quarterly report on sales growth" }, { lm, rolloutId: "1" });
    const b = await new Predict(sig).run({ document: "Quarterly report on sales growth" }, { lm, rolloutId: "2" });
    expect(sig.validateOutputs(a)).toEqual(a);
    expect(a.kind).toBe("report");
    expect(b.v).toEqual(a.v);
    expect(explainDemoReply(new ChatAdapter().format(sig, { instructions: "", demos: [] }, { document: "x" })).task).toBe("classify");
  });
});

describe("writing instructions", () => {
  const proposer = signature("task_description, examples, tip -> proposed_instruction");
  const inputs = {
    task_description: "Classify each support ticket into a category.",
    examples: "ticket: I was charged twice -> category: billing\nticket: The app crashes -> category: bug",
    tip: "Keep it short",
  };

  it("proposes varied instructions by rollout: some carry the task's cue words, some none, always the tip", async () => {
    const lm = createDemoLM({ seed: 1 });
    const proposals = await Promise.all(Array.from({ length: 24 }, (_, i) => new Predict(proposer).run(inputs, { lm, rolloutId: `p${i}` })));
    const texts = proposals.map((p) => p.proposed_instruction);
    expect(new Set(texts).size).toBeGreaterThan(5);
    expect(texts.some((x) => cuesIn("classify", x).length >= 2)).toBe(true);
    expect(texts.some((x) => cuesIn("classify", x).length === 0)).toBe(true);
    expect(texts.every((x) => x.endsWith("Keep it short."))).toBe(true);
    expect(texts.every((x) => /ticket/i.test(x))).toBe(true);
    const again = await new Predict(proposer).run(inputs, { lm, rolloutId: "p3" });
    expect(again.proposed_instruction).toBe(texts[3]);
  });

  it("keeps cue words it was shown more often than ones it was not", async () => {
    const lm = createDemoLM({ seed: 3 });
    const count = async (current: string) => {
      let n = 0;
      for (let i = 0; i < 40; i++) {
        const out = await new Predict(signature("current_instruction, examples -> new_instruction")).run({ current_instruction: current, examples: inputs.examples }, { lm, rolloutId: `q${i}` });
        if (cuesIn("classify", out.new_instruction).includes("description")) n++;
      }
      return n;
    };
    expect(await count("Pick the category whose description fits the ticket.")).toBeGreaterThan(await count("Pick a category for the ticket."));
    expect(TASK_CUES.classify).toContain("description");
  });

  it("writes advice text", async () => {
    const out = await new Predict(signature("question, answer, problem -> advice")).run({ question: "q", answer: "a", problem: "Ann has 3 apples." }, createDemoLM());
    expect(out.advice).toMatch(/^To do better: /);
  });
});

describe("judging", () => {
  const judge = signature("gold, prediction -> score: probability, correct: bool, verdict, rationale");
  it("compares the prediction with the gold answer", async () => {
    const lm = createDemoLM();
    const same = await new Predict(judge).run({ gold: "The VariableSpace", prediction: "variablespace" }, lm);
    expect(same).toMatchObject({ score: 1, correct: true, verdict: "correct" });
    const partial = await new Predict(judge).run({ gold: "a live dashboard built with Next.js", prediction: "a dashboard" }, lm);
    expect(partial.score).toBeGreaterThan(0);
    expect(partial.score).toBeLessThan(1);
    const wrong = await new Predict(judge).run({ gold: "42", prediction: "41" }, lm);
    expect(wrong).toMatchObject({ score: 0, correct: false, verdict: "incorrect" });
  });

  it("answers the evaluate package's judge signature through the JSON adapter too", async () => {
    const sig = signature('criteria: string, inputs: json, expected: json, predicted: json -> correct: boolean, reason: string');
    const call = new JSONAdapter().format(sig, { instructions: "Judge.", demos: [] }, { criteria: "same", inputs: {}, expected: { answer: "PGlite" }, predicted: { answer: "PGlite" } });
    const reply = await createDemoLM().complete(call);
    expect(new JSONAdapter().parse(sig, reply.text)).toMatchObject({ correct: true });
  });
});
