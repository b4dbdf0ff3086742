import { describe, expect, it } from "vitest";
import { signature } from "../signatures";
import { ChatAdapter, JSONAdapter, createChatStreamParser, createJsonStreamParser, streamWithAdapter, type CallWithAdapterArgs, type FieldStreamParser, type StreamEvent } from "./index";
import { ScriptedLM } from "./scripted-lm.test-util";

const sig = signature("question -> answer, confidence: probability");
const GOOD = "[[ ## answer ## ]]\nParis is\nlovely\n\n[[ ## confidence ## ]]\n0.9\n\n[[ ## completed ## ]]";

function feed(parser: FieldStreamParser, chunks: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of [...chunks.flatMap((c) => [...parser.push(c)]), ...parser.end()]) (out[d.field] ??= []).push(d.text);
  return out;
}

describe("chat stream parser", () => {
  it("handles markers split across chunks", () => {
    const chunks = ["pre [[ ## ans", "wer ## ]]\nPar", "is is\nlov", "ely\n\n[", "[ #", "# confidence #", "# ]]\n0.", "9\n\n[[ ## comp", "leted ## ]]\ntrailing"];
    const out = feed(createChatStreamParser(sig), chunks);
    expect(out.answer?.join("")).toBe("Paris is\nlovely");
    expect(out.confidence?.join("")).toBe("0.9");
    expect(out.answer?.length).toBeGreaterThan(1);
  });

  it("emits text as soon as it cannot be part of a marker", () => {
    const parser = createChatStreamParser(sig);
    expect(parser.push("[[ ## answer ## ]]\nHel")).toEqual([{ field: "answer", text: "Hel" }]);
    expect(parser.push("lo [x] and [[ ")).toEqual([{ field: "answer", text: "lo [x] and" }]);
    expect(parser.push("## confidence ## ]]\n1")).toEqual([{ field: "confidence", text: "1" }]);
    expect(parser.end()).toEqual([]);
  });

  it("releases a held '[' that turns out not to be a marker at the end", () => {
    const parser = createChatStreamParser(sig);
    expect(parser.push("[[ ## answer ## ]]\nsee [[1]")).toEqual([{ field: "answer", text: "see [[1]" }]);
    expect(parser.push("] and [[")).toEqual([{ field: "answer", text: "] and" }]);
    expect(parser.end()).toEqual([{ field: "answer", text: " [[" }]);
  });
});

describe("json stream parser", () => {
  it("streams top-level string values as they arrive, unescaped, and other values once complete", () => {
    const text = '```json\n{"answer": "Pa\\"ris\\u00e9\\n", "ignored": {"a": [1, "}"]}, "confidence": 0.85}\n```';
    const out: Record<string, string> = {};
    const parser = createJsonStreamParser(sig);
    const answerSteps: string[] = [];
    for (const ch of text) {
      for (const d of parser.push(ch)) {
        out[d.field] = (out[d.field] ?? "") + d.text;
        if (d.field === "answer") answerSteps.push(d.text);
      }
    }
    for (const d of parser.end()) out[d.field] = (out[d.field] ?? "") + d.text;
    expect(out).toEqual({ answer: 'Pa"risé\n', confidence: "0.85" });
    expect(answerSteps.length).toBeGreaterThan(3);
  });
});

function args(lm: ScriptedLM, extra: Partial<CallWithAdapterArgs> = {}): CallWithAdapterArgs {
  return { lm, signature: sig, params: { instructions: "Answer.", demos: [] }, inputs: { question: "q" }, settings: {}, adapter: new ChatAdapter(), module: "Predict", ...extra };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe("streamWithAdapter", () => {
  it("yields field deltas, then done with the validated outputs", async () => {
    const lm = new ScriptedLM([GOOD], 5);
    const events = await collect(streamWithAdapter(args(lm)));
    const fields = events.filter((e) => e.type === "field");
    expect(fields.length).toBeGreaterThan(3);
    expect(fields.filter((e) => e.field === "answer").map((e) => e.text).join("")).toBe("Paris is\nlovely");
    const done = events.at(-1);
    expect(done?.type).toBe("done");
    if (done?.type === "done") {
      expect(done.result.outputs).toEqual({ answer: "Paris is\nlovely", confidence: 0.9 });
      expect(done.result.attempts).toBe(1);
    }
  });

  it("streams JSON adapter replies field by field", async () => {
    const lm = new ScriptedLM(['{"answer": "Rome", "confidence": 0.4}'], 3);
    const events = await collect(streamWithAdapter(args(lm, { adapter: new JSONAdapter() })));
    expect(events.filter((e) => e.type === "field" && e.field === "answer").map((e) => (e.type === "field" ? e.text : "")).join("")).toBe("Rome");
    expect(events.at(-1)).toMatchObject({ type: "done", result: { outputs: { answer: "Rome", confidence: 0.4 }, adapter: "json" } });
  });

  it("after an unusable streamed reply, yields retry and continues with shown-mistake retries (not streamed)", async () => {
    const lm = new ScriptedLM(["[[ ## answer ## ]]\nParis", GOOD], 4);
    const records: unknown[] = [];
    const events = await collect(streamWithAdapter(args(lm, { onLMCall: (r) => records.push(r), fallback: null })));
    const retry = events.find((e) => e.type === "retry");
    expect(retry).toMatchObject({ type: "retry", attempt: 1, adapter: "chat" });
    expect(retry?.type === "retry" && retry.problem).toContain("[[ ## confidence ## ]]");
    expect(lm.requests[1]?.messages.at(-2)).toEqual({ role: "assistant", content: "[[ ## answer ## ]]\nParis" });
    expect(lm.requests[1]?.messages.at(-1)?.content).toContain("Your previous reply could not be used");
    expect(events.at(-1)).toMatchObject({ type: "done", result: { attempts: 2, adapter: "chat", outputs: { answer: "Paris is\nlovely" } } });
    expect(records).toHaveLength(2);
  });

  it("goes straight to the fallback when maxRetries is 0", async () => {
    const lm = new ScriptedLM(["garbage", '{"answer": "A", "confidence": 1}'], 4);
    const events = await collect(streamWithAdapter(args(lm, { maxRetries: 0 })));
    expect(events.at(-1)).toMatchObject({ type: "done", result: { adapter: "json", attempts: 2 } });
    expect(lm.requests[1]?.messages).toHaveLength(2);
  });

  it("falls back to complete when the LM cannot stream", async () => {
    const lm = new ScriptedLM([GOOD]);
    const events = await collect(streamWithAdapter(args(lm)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "done", result: { outputs: { confidence: 0.9 } } });
  });
});
