// The contract every Adapter meets, as a vitest suite: `describeAdapterContract("chat", () => new ChatAdapter())`.
// Replies are produced by the adapter itself (a demo's assistant turn is written in the adapter's
// reply format), so the suite needs no knowledge of any one format beyond the shared input markers.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AdapterParseError, type Adapter, type Demo } from "../adapters";
import { defineSignature, t, type Signature, type Values } from "../signatures";

const allKinds = defineSignature({
  instructions: "Exercise every field kind.",
  inputs: { question: z.string().describe("The question."), context: z.string().optional() },
  outputs: {
    answer: z.string().describe("A short answer."),
    count: t.number(),
    whole: t.integer(),
    flag: t.boolean(),
    probability: t.probability(),
    confidence: t.confidence(),
    sentiment: t.labels({ positive: "approves", negative: "disapproves" }),
    rating: t.score(1, 5),
    tags: t.list(t.string(), { max: 4 }),
    details: t.json(z.object({ city: z.string(), population: z.number() })),
    vector: t.embedding(3),
    note: z.string().optional(),
  },
});

const outputs: Values = {
  answer: "Paris is the capital.\nIt has \"quotes\" and [brackets].",
  count: 2.5,
  whole: 7,
  flag: true,
  probability: 0.25,
  confidence: 0.9,
  sentiment: "negative",
  rating: 4,
  tags: ["a", "b, c"],
  details: { city: "Paris", population: 2100000 },
  vector: [0.1, -0.2, 0.3],
};

const inputs: Values = { question: "What is the capital of France?" };

/** The adapter's own reply text for some output values (the assistant turn of a one-demo prompt). */
export function replyFor(adapter: Adapter, signature: Signature, values: Values): string {
  const { messages } = adapter.format(signature, { instructions: "x", demos: [{ ...inputs, ...values }] }, inputs);
  const reply = messages.find((m) => m.role === "assistant");
  if (!reply) throw new Error(`adapter ${adapter.name} rendered no assistant turn for a demo`);
  return reply.content;
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function describeAdapterContract(name: string, makeAdapter: () => Adapter): void {
  describe(`Adapter contract: ${name}`, () => {
    it("puts the instructions in a first system message and each input after its [[ ## name ## ]] marker in the last user message", () => {
      const adapter = makeAdapter();
      const { messages } = adapter.format(allKinds, { instructions: "Be brief.", demos: [] }, { question: "Why?", context: "Because." });
      expect(messages[0]?.role).toBe("system");
      expect(messages[0]?.content.startsWith("Be brief.")).toBe(true);
      const last = messages[messages.length - 1];
      expect(last?.role).toBe("user");
      expect(last?.content).toContain("[[ ## question ## ]]\nWhy?\n\n");
      expect(last?.content).toContain("[[ ## context ## ]]\nBecause.\n\n");
      for (const f of allKinds.outputs) expect(messages[0]?.content).toContain(`\`${f.name}\``);
    });

    it("leaves out inputs that have no value", () => {
      const { messages } = makeAdapter().format(allKinds, { instructions: "x", demos: [] }, inputs);
      expect(messages[messages.length - 1]?.content).not.toContain("[[ ## context ## ]]");
    });

    it("reads back every field kind from its own reply format", () => {
      const adapter = makeAdapter();
      const reply = replyFor(adapter, allKinds, outputs);
      expect(allKinds.validateOutputs(adapter.parse(allKinds, reply))).toEqual(outputs);
    });

    it("renders demos as user/assistant pairs in order, skipping demos without any input", () => {
      const demos: Demo[] = [{ ...inputs, ...outputs }, { answer: "no inputs" }, { question: "Second?", ...outputs, answer: "second" }];
      const { messages } = makeAdapter().format(allKinds, { instructions: "x", demos }, { question: "Now?" });
      expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
      expect(messages[1]?.content).toContain("[[ ## question ## ]]\nWhat is the capital of France?");
      expect(messages[3]?.content).toContain("[[ ## question ## ]]\nSecond?");
      expect(messages.some((m) => m.content.includes("no inputs"))).toBe(false);
    });

    it("renders the outputs a demo has when it lacks some, and reading that reply names the missing ones", () => {
      const adapter = makeAdapter();
      const reply = replyFor(adapter, allKinds, { answer: "only this", flag: false });
      let error: unknown;
      try {
        adapter.parse(allKinds, reply);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AdapterParseError);
      const details = (error as AdapterParseError).details;
      expect(details.expectedFields).toEqual(allKinds.outputs.map((f) => f.name));
      expect([...details.parsedFields].sort()).toEqual(["answer", "flag"]);
      expect(details.raw).toBe(reply);
      expect((error as AdapterParseError).message).toContain("count");
    });

    it("accepts a reply without an optional output, and reads it when present", () => {
      const adapter = makeAdapter();
      expect(adapter.parse(allKinds, replyFor(adapter, allKinds, outputs))).not.toHaveProperty("note");
      expect(adapter.parse(allKinds, replyFor(adapter, allKinds, { ...outputs, note: "hi" })).note).toBe("hi");
    });

    it("throws AdapterParseError for an empty reply", () => {
      expect(() => makeAdapter().parse(allKinds, "")).toThrow(AdapterParseError);
    });

    it("does not change the signature and formats the same call the same way twice", () => {
      const adapter = makeAdapter();
      const before = JSON.stringify(allKinds.toJSON());
      const a = adapter.format(allKinds, { instructions: "x", demos: [] }, inputs);
      const b = adapter.format(allKinds, { instructions: "x", demos: [] }, inputs);
      expect(b).toEqual(a);
      expect(JSON.stringify(allKinds.toJSON())).toBe(before);
    });

    it("streams each string output's text, whatever the chunk size, joining to the parsed value", () => {
      const adapter = makeAdapter();
      if (!adapter.createStreamParser) return;
      const reply = replyFor(adapter, allKinds, outputs);
      for (const size of [1, 3, 7, 1000]) {
        const parser = adapter.createStreamParser(allKinds);
        const text: Record<string, string> = {};
        for (const chunk of chunks(reply, size)) for (const d of [...parser.push(chunk)]) text[d.field] = (text[d.field] ?? "") + d.text;
        for (const d of parser.end()) text[d.field] = (text[d.field] ?? "") + d.text;
        expect(text.answer).toBe(outputs.answer);
        expect(Object.keys(text).sort()).toEqual(Object.keys(outputs).sort());
      }
    });

    it("states the problem in its correction message when it has one", () => {
      const adapter = makeAdapter();
      if (!adapter.correction) return;
      expect(adapter.correction(allKinds, "the output \"count\" must be a number")).toContain("the output \"count\" must be a number");
    });
  });
}
