import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSignature, t } from "./index";

const classify = defineSignature({
  instructions: "Classify the review.",
  inputs: {
    review: z.string().describe("The review text."),
    language: z.string().optional(),
    tone: t.variable(t.labels(["formal", "casual"]), { default: "formal" }).describe("How to write the reason."),
    limit: z.number().int().default(3),
  },
  outputs: {
    sentiment: t.labels({ positive: "approves", negative: "disapproves" }).describe("The overall sentiment."),
    confidence: t.confidence(),
    reasons: t.list(t.string(), { max: 3 }),
    aspects: t.json(z.object({ price: t.score(1, 5), service: t.score(1, 5) })),
    summary: z.string().optional(),
  },
});

describe("defineSignature (zod form)", () => {
  it("builds fields from the zod shapes: kinds, descriptions, optional, variables", () => {
    expect(classify.instructions).toBe("Classify the review.");
    expect(classify.inputs.map((f) => [f.name, f.type.kind, f.optional])).toEqual([
      ["review", "string", false],
      ["language", "string", true],
      ["tone", "labels", false],
      ["limit", "integer", false],
    ]);
    expect(classify.field("review")?.description).toBe("The review text.");
    expect(classify.field("tone")?.description).toBe("How to write the reason.");
    expect(classify.field("tone")?.variable).toEqual({ default: "formal" });
    expect(classify.field("limit")?.variable).toEqual({ default: 3 });
    expect(classify.outputs.map((f) => [f.name, f.type.kind, f.optional])).toEqual([
      ["sentiment", "labels", false],
      ["confidence", "confidence", false],
      ["reasons", "list", false],
      ["aspects", "json", false],
      ["summary", "string", true],
    ]);
    expect(classify.field("sentiment")?.type.labels?.[0]).toEqual({ value: "positive", description: "approves" });
  });

  it("validates with the same rules as the shorthand", () => {
    expect(classify.validateInputs({ review: "Great" })).toEqual({ review: "Great", tone: "formal", limit: 3 });
    expect(() => classify.validateInputs({ review: "Great", limit: 2.5 })).toThrow('input "limit" must be an integer; received 2.5');
    const outputs = { sentiment: "positive", confidence: 0.9, reasons: ["fast"], aspects: { price: 4, service: 5 } };
    expect(classify.validateOutputs(outputs)).toEqual(outputs);
    expect(() => classify.validateOutputs({ ...outputs, aspects: { price: 9, service: 5 } })).toThrow('output "aspects" at price must be at most 5; received 9');
  });

  it("infers input and output types from the shapes", () => {
    const inputs = classify.validateInputs({ review: "x" });
    const outputs = classify.validateOutputs({ sentiment: "negative", confidence: 0.1, reasons: [], aspects: { price: 1, service: 1 } });
    const review: string = inputs.review;
    const tone: "formal" | "casual" = inputs.tone ?? "formal";
    const sentiment: "positive" | "negative" = outputs.sentiment;
    const price: number = outputs.aspects.price;
    const summary: string | undefined = outputs.summary;
    // @ts-expect-error confidence is a number
    const wrong: string = outputs.confidence;
    expect([review, tone, sentiment, price, summary, wrong]).toEqual(["x", "formal", "negative", 1, undefined, 0.1]);
  });
});
