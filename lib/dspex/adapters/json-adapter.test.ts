import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeAdapterContract } from "../testing";
import { defineSignature, signature, t } from "../signatures";
import { AdapterParseError, JSONAdapter, jsonAdapter } from "./index";

describeAdapterContract("json", () => new JSONAdapter());

const sig = defineSignature({
  inputs: { question: z.string().describe("The user's question."), context: z.string().optional() },
  outputs: {
    answer: z.string().describe("A short answer."),
    sentiment: t.labels({ positive: "the text approves", negative: "the text disapproves" }),
    confidence: t.probability(),
  },
});

const SCHEMA =
  '{"type":"object","properties":{"answer":{"type":"string","description":"A short answer."},"sentiment":{"type":"string","enum":["positive","negative"]},"confidence":{"type":"number","minimum":0,"maximum":1}},"required":["answer","sentiment","confidence"],"additionalProperties":false}';

describe("json adapter: exact messages", () => {
  it("shares the chat system head and input markers, asks for one JSON object and sets a strict response format", () => {
    const demos = [{ question: "Is it good?", answer: "Yes", sentiment: "positive", confidence: 0.9 }];
    const { messages, responseFormat } = jsonAdapter().format(sig, { instructions: "Answer the question.", demos }, { question: "What?", context: "Ctx" });
    expect(messages).toEqual([
      {
        role: "system",
        content: `Answer the question.

Input fields:
- \`question\` (string): The user's question.
- \`context\` (string, optional)
Output fields:
- \`answer\` (string): A short answer.
- \`sentiment\` (one of: positive, negative)
  - positive: the text approves
  - negative: the text disapproves
- \`confidence\` (probability: a number from 0 to 1)

Reply with a single JSON object and nothing else. Its keys are exactly the output fields, in this order: answer, sentiment, confidence. JSON schema:
${SCHEMA}`,
      },
      { role: "user", content: "[[ ## question ## ]]\nIs it good?" },
      { role: "assistant", content: '{"answer":"Yes","sentiment":"positive","confidence":0.9}' },
      { role: "user", content: "[[ ## question ## ]]\nWhat?\n\n[[ ## context ## ]]\nCtx\n\nRespond with a JSON object with the keys: answer, sentiment, confidence." },
    ]);
    expect(responseFormat).toEqual({ type: "json_schema", name: "outputs", schema: sig.outputJsonSchema(), strict: true });
  });

  it("turns strict off when an output is a free-form object", () => {
    const { responseFormat } = jsonAdapter().format(signature("q -> data: json"), { instructions: "x", demos: [] }, { q: "1" });
    expect(responseFormat).toMatchObject({ type: "json_schema", strict: false });
  });
});

describe("json adapter: reading replies", () => {
  const adapter = jsonAdapter();

  it("reads plain JSON and coerces values per field", () => {
    expect(adapter.parse(sig, '{"answer": " Paris ", "sentiment": "Positive.", "confidence": "80%"}')).toEqual({ answer: "Paris", sentiment: "positive", confidence: 0.8 });
  });

  it("reads JSON inside a code fence or prose", () => {
    expect(adapter.parse(sig, 'Here:\n```json\n{"answer": "A", "sentiment": "negative", "confidence": 0.2}\n```\nDone.')).toEqual({ answer: "A", sentiment: "negative", confidence: 0.2 });
    expect(adapter.parse(sig, 'The result is {"answer": "B {x}", "sentiment": "negative", "confidence": 0.3} as asked.').answer).toBe("B {x}");
  });

  it("repairs malformed JSON: trailing commas, single quotes, unquoted keys, a missing brace", () => {
    expect(adapter.parse(sig, "{'answer': 'C', sentiment: 'positive', 'confidence': 0.4,}")).toEqual({ answer: "C", sentiment: "positive", confidence: 0.4 });
    expect(adapter.parse(sig, '{"answer": "D", "sentiment": "positive", "confidence": 0.5')).toEqual({ answer: "D", sentiment: "positive", confidence: 0.5 });
  });

  it("matches keys case-insensitively, treats null as absent and unwraps a single wrapper object", () => {
    expect(adapter.parse(sig, '{"Answer": "E", "SENTIMENT": "negative", "confidence": 1}')).toEqual({ answer: "E", sentiment: "negative", confidence: 1 });
    expect(adapter.parse(sig, '{"outputs": {"answer": "F", "sentiment": "negative", "confidence": 0}}')).toEqual({ answer: "F", sentiment: "negative", confidence: 0 });
    const opt = signature("q -> a, note?");
    expect(adapter.parse(opt, '{"a": "x", "note": null}')).toEqual({ a: "x" });
  });

  it("throws AdapterParseError for no JSON object, naming the keys; and for missing keys, listing expected and found", () => {
    expect(() => adapter.parse(sig, "I refuse.")).toThrow("json adapter: the reply is not a JSON object (it could not be parsed or repaired); expected an object with the keys answer, sentiment, confidence");
    let error: AdapterParseError | undefined;
    try {
      adapter.parse(sig, '{"answer": "G", "extra": 1}');
    } catch (e) {
      error = e as AdapterParseError;
    }
    expect(error).toBeInstanceOf(AdapterParseError);
    expect(error?.details.parsedFields).toEqual(["answer"]);
    expect(error?.details.expectedFields).toEqual(["answer", "sentiment", "confidence"]);
    expect(error?.problem).toBe("the JSON object has no value for the required keys sentiment, confidence (expected answer, sentiment, confidence; found answer, extra)");
  });
});
