import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeAdapterContract } from "../testing";
import { defineSignature, signature, t } from "../signatures";
import { AdapterParseError, ChatAdapter, chatAdapter, splitByMarkers } from "./index";

describeAdapterContract("chat", () => new ChatAdapter());

const sig = defineSignature({
  inputs: { question: z.string().describe("The user's question."), context: z.string().optional() },
  outputs: {
    answer: z.string().describe("A short answer."),
    sentiment: t.labels({ positive: "the text approves", negative: "the text disapproves" }),
    confidence: t.probability(),
  },
});

const SYSTEM = `Answer the question.

Input fields:
- \`question\` (string): The user's question.
- \`context\` (string, optional)
Output fields:
- \`answer\` (string): A short answer.
- \`sentiment\` (one of: positive, negative)
  - positive: the text approves
  - negative: the text disapproves
- \`confidence\` (probability: a number from 0 to 1)

Reply with the output fields in this order, each after its marker, then the completion marker:

[[ ## answer ## ]]
{answer}

[[ ## sentiment ## ]]
{sentiment}

[[ ## confidence ## ]]
{confidence}

[[ ## completed ## ]]`;

describe("chat adapter: exact messages", () => {
  it("writes the system message, demo turns and user message exactly", () => {
    const demos = [
      { question: "Is it good?", context: "Reviews", answer: "Yes", sentiment: "positive", confidence: 0.9 },
      { question: "Only some outputs", answer: "Partly" },
      { answer: "no inputs: skipped" },
      { question: "no outputs: skipped" },
    ];
    const { messages, responseFormat } = chatAdapter().format(sig, { instructions: "Answer the question.", demos }, { question: "What is 2+2?\nThink." });
    expect(responseFormat).toBeUndefined();
    expect(messages).toEqual([
      { role: "system", content: SYSTEM },
      { role: "user", content: "[[ ## question ## ]]\nIs it good?\n\n[[ ## context ## ]]\nReviews" },
      { role: "assistant", content: "[[ ## answer ## ]]\nYes\n\n[[ ## sentiment ## ]]\npositive\n\n[[ ## confidence ## ]]\n0.9\n\n[[ ## completed ## ]]" },
      { role: "user", content: "[[ ## question ## ]]\nOnly some outputs" },
      { role: "assistant", content: "[[ ## answer ## ]]\nPartly\n\n[[ ## completed ## ]]" },
      {
        role: "user",
        content: "[[ ## question ## ]]\nWhat is 2+2?\nThink.\n\nRespond with the output fields, starting with [[ ## answer ## ]] and ending with [[ ## completed ## ]].",
      },
    ]);
  });

  it("leaves out the input block without inputs, label lines without label descriptions, and writes typed values as text", () => {
    const s = signature("-> tags: string[], mood: labels(happy, sad)", { instructions: "Tag it." });
    const { messages } = chatAdapter().format(s, { instructions: s.instructions, demos: [] }, {});
    expect(messages[0]?.content).toBe(
      "Tag it.\n\nOutput fields:\n- `tags` (list of string (JSON array))\n- `mood` (one of: happy, sad)\n\nReply with the output fields in this order, each after its marker, then the completion marker:\n\n[[ ## tags ## ]]\n{tags}\n\n[[ ## mood ## ]]\n{mood}\n\n[[ ## completed ## ]]",
    );
    expect(messages[1]?.content).toBe("Respond with the output fields, starting with [[ ## tags ## ]] and ending with [[ ## completed ## ]].");
    const withList = signature("items: string[], n: integer -> a");
    const user = chatAdapter().format(withList, { instructions: "x", demos: [] }, { items: ["a", "b"], n: 3 }).messages.at(-1)?.content;
    expect(user).toBe('[[ ## items ## ]]\n["a","b"]\n\n[[ ## n ## ]]\n3\n\nRespond with the output fields, starting with [[ ## a ## ]] and ending with [[ ## completed ## ]].');
  });

  it("refuses to format a signature without outputs", () => {
    const none = signature("q -> a").withoutField("a");
    expect(() => chatAdapter().format(none, { instructions: "x", demos: [] }, { q: "1" })).toThrow(/has no outputs/);
  });

  it("reuses the cached system message but reflects new instructions and demos", () => {
    const adapter = chatAdapter();
    const a = adapter.format(sig, { instructions: "One.", demos: [] }, { question: "q" });
    const b = adapter.format(sig, { instructions: "Two.", demos: [] }, { question: "q" });
    const c = adapter.format(sig, { instructions: "Two.", demos: [{ question: "d", answer: "e" }] }, { question: "q" });
    expect(a.messages[0]?.content.startsWith("One.")).toBe(true);
    expect(b.messages[0]?.content.startsWith("Two.")).toBe(true);
    expect(c.messages).toHaveLength(4);
  });
});

describe("chat adapter: reading messy replies", () => {
  const adapter = chatAdapter();

  it("tolerates text before the first marker, odd spacing, another order, fences and no completion marker", () => {
    const reply = "Sure! Here you go.\n[[##confidence##]]\n80%\n[[ ##  answer ## ]]\n```\nParis\n```\n[[ ## Sentiment ## ]]\n**Positive.**\n";
    expect(adapter.parse(sig, reply)).toEqual({ answer: "Paris", sentiment: "positive", confidence: 0.8 });
  });

  it("ignores text after the completion marker, unknown markers and repeated markers", () => {
    const reply = "[[ ## answer ## ]]\nfirst\n[[ ## bogus ## ]]\nx\n[[ ## sentiment ## ]]\nnegative\n[[ ## confidence ## ]]\n0.1\n[[ ## completed ## ]]\n[[ ## answer ## ]]\nsecond";
    expect(adapter.parse(sig, reply)).toEqual({ answer: "first", sentiment: "negative", confidence: 0.1 });
  });

  it("strips a fence around the whole reply", () => {
    const reply = "```\n[[ ## answer ## ]]\nA\n\n[[ ## sentiment ## ]]\npositive\n\n[[ ## confidence ## ]]\n0.5\n\n[[ ## completed ## ]]\n```";
    expect(adapter.parse(sig, reply)).toEqual({ answer: "A", sentiment: "positive", confidence: 0.5 });
  });

  it("keeps a multi-line value intact", () => {
    const reply = "[[ ## answer ## ]]\nline 1\n\nline 2\n[[ ## sentiment ## ]]\npositive\n[[ ## confidence ## ]]\n1";
    expect(adapter.parse(sig, reply).answer).toBe("line 1\n\nline 2");
  });

  it("throws AdapterParseError listing the expected and found fields", () => {
    const reply = "I think the answer is Paris.\n[[ ## answer ## ]]\nParis";
    let error: AdapterParseError | undefined;
    try {
      adapter.parse(sig, reply);
    } catch (e) {
      error = e as AdapterParseError;
    }
    expect(error).toBeInstanceOf(AdapterParseError);
    expect(error?.code).toBe("OUTPUT_PARSE");
    expect(error?.adapter).toBe("chat");
    expect(error?.details).toEqual({ raw: reply, expectedFields: ["answer", "sentiment", "confidence"], parsedFields: ["answer"] });
    expect(error?.message).toBe(
      "chat adapter: the reply has no [[ ## sentiment ## ]], [[ ## confidence ## ]] markers for the required outputs sentiment, confidence (expected answer, sentiment, confidence; found answer)",
    );
  });

  it("exposes the sections by output name", () => {
    expect([...splitByMarkers(sig, "[[ ## answer ## ]]\n a \n[[ ## confidence ## ]]\n0.2").entries()]).toEqual([
      ["answer", "a"],
      ["confidence", "0.2"],
    ]);
  });
});
