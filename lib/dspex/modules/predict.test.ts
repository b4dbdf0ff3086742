import { describe, expect, it } from "vitest";
import { InputValidationError } from "../errors";
import { signature, t, defineSignature } from "../signatures";
import { byFields, FakeLM, inputsOf, markerReply } from "../testing/fake-lm";
import { TraceRecorder } from "../trace";
import { Predict } from "./index";

describe("Predict", () => {
  it("builds a call from the signature and returns typed, validated outputs", async () => {
    const lm = new FakeLM(byFields((inputs) => ({ answer: `echo ${inputs.question}`, confidence: "0.75" })));
    const qa = new Predict("question -> answer, confidence: probability");
    const out = await qa.run({ question: "why?" }, lm);
    expect(out).toEqual({ answer: "echo why?", confidence: 0.75 });
    expect(inputsOf(lm.requests[0]!)).toEqual({ question: "why?" });
  });

  it("names a missing or unknown input field before calling the LM", async () => {
    const lm = new FakeLM([markerReply({ answer: "x" })]);
    const qa = new Predict("question, context -> answer");
    await expect(qa.run({ question: "q" } as never, lm)).rejects.toBeInstanceOf(InputValidationError);
    await expect(qa.run({ question: "q" } as never, lm)).rejects.toThrow(/"context"/);
    expect(lm.requests).toHaveLength(0);
  });

  it("exposes its parameters, and `with` returns a new predictor leaving the original unchanged", async () => {
    const base = new Predict("question -> answer", { instructions: "Be brief.", settings: { temperature: 0.7, model: "m1" } });
    const tuned = base.with({ settings: { temperature: 0.1 }, demos: [{ question: "1+1?", answer: "2" }] });
    expect(base.params.settings).toEqual({ temperature: 0.7, model: "m1" });
    expect(base.params.demos).toEqual([]);
    expect(tuned.params.settings).toEqual({ temperature: 0.1, model: "m1" });
    expect(tuned.instructions).toBe("Be brief.");
    expect(Object.isFrozen(base)).toBe(true);
    expect(() => {
      (base as unknown as { params: unknown }).params = {};
    }).toThrow(TypeError);

    const lm = new FakeLM(byFields(() => ({ answer: "ok" })));
    await tuned.run({ question: "q" }, lm);
    const req = lm.requests[0]!;
    expect(req.model).toBe("m1");
    expect(req.temperature).toBe(0.1);
    expect(req.messages[0]!.content).toContain("Be brief.");
    // The demo became a user/assistant pair before the real question.
    expect(req.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(req.messages[2]!.content).toContain("2");
  });

  it("layers settings: context defaults < the predictor's own < context overrides", async () => {
    const lm = new FakeLM(byFields(() => ({ answer: "ok" })));
    const p = new Predict("question -> answer", { settings: { temperature: 0.3 } });
    await p.run({ question: "q" }, { lm, settings: { temperature: 0.9, maxTokens: 50 } });
    await p.run({ question: "q" }, { lm, overrideSettings: { temperature: 1 } });
    expect([lm.requests[0]!.temperature, lm.requests[0]!.maxTokens]).toEqual([0.3, 50]);
    expect(lm.requests[1]!.temperature).toBe(1);
  });

  it("fills variable input fields from its variables, then the declared default; the caller's value wins", async () => {
    const sig = defineSignature({
      instructions: "Answer in the given style.",
      inputs: { question: t.string(), style: t.variable(t.labels(["short", "long"]), { default: "short" }) },
      outputs: { answer: t.string() },
    });
    const lm = new FakeLM(byFields((inputs) => ({ answer: inputs.style })));
    expect(await new Predict(sig).run({ question: "q" } as never, lm)).toEqual({ answer: "short" });
    expect(await new Predict(sig, { variables: { style: "long" } }).run({ question: "q" } as never, lm)).toEqual({ answer: "long" });
    expect(await new Predict(sig, { variables: { style: "long" } }).run({ question: "q", style: "short" }, lm)).toEqual({ answer: "short" });
  });

  it("asks for structured JSON when its adapter is json", async () => {
    const lm = new FakeLM([JSON.stringify({ answer: "4" })]);
    const out = await new Predict("question -> answer: integer", { adapter: "json" }).run({ question: "2+2" }, lm);
    expect(out).toEqual({ answer: 4 });
    expect(lm.requests[0]!.responseFormat).toMatchObject({ type: "json_schema" });
  });

  it("records a span and each LM call (with the exact messages) when traced", async () => {
    const lm = new FakeLM([markerReply({ answer: "oops" }).replace("answer", "wrong"), markerReply({ answer: "fine" })]);
    const tracer = new TraceRecorder();
    await new Predict(signature("question -> answer")).run({ question: "q" }, { lm, tracer, fallbackAdapter: null });
    expect(tracer.spans.filter((s) => s.kind !== "attempt")).toHaveLength(1);
    expect(tracer.spans.filter((s) => s.kind === "attempt")).toHaveLength(1);
    expect(tracer.spans[0]).toMatchObject({ kind: "program", status: "ok", outputs: { answer: "fine" } });
    expect(tracer.lmCalls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(tracer.lmCalls.every((c) => c.spanId === tracer.spans[0]!.id)).toBe(true);
    expect(tracer.lmCalls[1]!.messages.at(-1)!.content).toMatch(/answer/);
  });

  it("streams output fields as they arrive and ends with the validated outputs", async () => {
    const lm = new FakeLM([markerReply({ answer: "a fairly long answer to stream in pieces", score: "3" })]);
    const deltas: string[] = [];
    let done: unknown;
    for await (const e of new Predict("question -> answer, score: integer").stream({ question: "q" }, lm)) {
      if (e.type === "field" && e.field === "answer") deltas.push(e.text);
      if (e.type === "done") done = e.result.outputs;
    }
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("").trim()).toBe("a fairly long answer to stream in pieces");
    expect(done).toEqual({ answer: "a fairly long answer to stream in pieces", score: 3 });
  });
});

describe("Predict.format", () => {
  it("shows the exact messages a call would send, exportable as plain OpenAI messages", async () => {
    const { toOpenAIMessages } = await import("../adapters");
    const p = new Predict("question -> answer", { instructions: "Answer in French." });
    const call = p.format({ question: "Hello?" });
    const lm = new FakeLM(byFields(() => ({ answer: "Bonjour" })));
    await p.run({ question: "Hello?" }, lm);
    expect(call.messages).toEqual(lm.requests[0]!.messages);
    const plain = toOpenAIMessages(call.messages);
    expect(plain[0]).toEqual({ role: "system", content: expect.stringContaining("Answer in French.") });
    expect(JSON.parse(JSON.stringify(plain))).toEqual(plain);
    expect(p.format({ question: "x" }, { adapter: undefined }).responseFormat).toBeUndefined();
    expect(new Predict("question -> answer", { adapter: "json" }).format({ question: "x" }).responseFormat).toMatchObject({ type: "json_schema" });
  });
});
