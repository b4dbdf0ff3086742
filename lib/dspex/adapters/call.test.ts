import { describe, expect, it } from "vitest";
import { OutputParseError, OutputTruncatedError, type DspexError } from "../errors";
import { TraceRecorder } from "../trace";
import { signature } from "../signatures";
import { ChatAdapter, JSONAdapter, callWithAdapter, type CallWithAdapterArgs, type LMCallRecordDraft } from "./index";
import { ScriptedLM } from "./scripted-lm.test-util";

const sig = signature("question -> answer, confidence: probability", { instructions: "Answer." });
const GOOD = "[[ ## answer ## ]]\nParis\n\n[[ ## confidence ## ]]\n0.9\n\n[[ ## completed ## ]]";

function args(lm: ScriptedLM, extra: Partial<CallWithAdapterArgs> = {}) {
  const records: LMCallRecordDraft[] = [];
  const call: CallWithAdapterArgs = {
    lm,
    signature: sig,
    params: { instructions: "Answer.", demos: [] },
    inputs: { question: "Capital of France?" },
    settings: { model: "m1", temperature: 0 },
    adapter: new ChatAdapter(),
    module: "Predict(qa)",
    onLMCall: (r) => records.push(r),
    now: () => 1000,
    ...extra,
  };
  return { call, records };
}

describe("callWithAdapter", () => {
  it("formats, calls the LM with the settings and rollout id, and returns validated outputs", async () => {
    const lm = new ScriptedLM([GOOD]);
    const { call, records } = args(lm, { rolloutId: "r1", timeoutMs: 500 });
    const result = await callWithAdapter(call);
    expect(result.outputs).toEqual({ answer: "Paris", confidence: 0.9 });
    expect(result.adapter).toBe("chat");
    expect(result.attempts).toBe(1);
    expect(result.response.text).toBe(GOOD);
    expect(result.messages).toBe(lm.requests[0]?.messages);
    expect(lm.requests[0]).toMatchObject({ model: "m1", temperature: 0, rolloutId: "r1" });
    expect(lm.requests[0]).not.toHaveProperty("responseFormat");
    expect(lm.options[0]).toEqual({ timeoutMs: 500 });
    expect(records).toEqual([
      {
        provider: "scripted",
        model: "m1",
        messages: lm.requests[0]?.messages,
        responseFormat: undefined,
        settings: { model: "m1", temperature: 0 },
        text: GOOD,
        usage: { inputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0 },
        costUsd: 0.001,
        latencyMs: 12,
        cacheHit: false,
        retries: 1,
        adapter: "chat",
        attempt: 1,
        startedAt: 1000,
      },
    ]);
  });

  it("retries with the previous reply and a message that says exactly what was wrong", async () => {
    const missing = "[[ ## answer ## ]]\nParis";
    const invalid = "[[ ## answer ## ]]\nParis\n\n[[ ## confidence ## ]]\nvery high\n\n[[ ## completed ## ]]";
    const lm = new ScriptedLM([missing, invalid, GOOD]);
    const { call, records } = args(lm, { fallback: null });
    const result = await callWithAdapter(call);
    expect(result.outputs).toEqual({ answer: "Paris", confidence: 0.9 });
    expect(result.attempts).toBe(3);
    const second = lm.requests[1]?.messages ?? [];
    expect(second.slice(0, 2)).toEqual(lm.requests[0]?.messages);
    expect(second[2]).toEqual({ role: "assistant", content: missing });
    expect(second[3]?.role).toBe("user");
    expect(second[3]?.content).toContain("Your previous reply could not be used: the reply has no [[ ## confidence ## ]] marker for the required output confidence (expected answer, confidence; found answer).");
    expect(second[3]?.content).toContain("[[ ## answer ## ]]\n{answer}\n\n[[ ## confidence ## ]]\n{confidence}\n\n[[ ## completed ## ]]");
    const third = lm.requests[2]?.messages ?? [];
    expect(third[4]).toEqual({ role: "assistant", content: invalid });
    expect(third[5]?.content).toContain('the output "confidence" must be a number; received "very high"');
    expect(records.map((r) => [r.adapter, r.attempt])).toEqual([
      ["chat", 1],
      ["chat", 2],
      ["chat", 3],
    ]);
    expect(result.messages).toBe(lm.requests[2]?.messages);
  });

  it("after the first unusable chat reply switches to structured output (2 calls), recording the rejected attempt and why", async () => {
    const lm = new ScriptedLM(["Sure! The answer would be Paris.", '{"answer": "Paris", "confidence": 0.7}']);
    const tracer = new TraceRecorder();
    const spanId = tracer.startSpan({ name: "qa", kind: "predict" });
    const { call, records } = args(lm, { tracer, spanId });
    const result = await callWithAdapter(call);
    expect(result.adapter).toBe("json");
    expect(result.attempts).toBe(2);
    expect(result.outputs).toEqual({ answer: "Paris", confidence: 0.7 });
    const fallbackRequest = lm.requests[1];
    expect(fallbackRequest?.messages).toHaveLength(2);
    expect(fallbackRequest?.messages[0]?.content).toContain("Reply with a single JSON object");
    expect(fallbackRequest?.responseFormat).toMatchObject({ type: "json_schema", name: "outputs", strict: true });
    expect(records.map((r) => `${r.adapter}#${r.attempt}`)).toEqual(["chat#1", "json#2"]);
    expect(records[0]?.rejected).toMatch(/^the reply has no \[\[ ## answer ## \]\]/);
    expect(records[1]?.rejected).toBeUndefined();
    expect(records[1]?.responseFormat).toBe(fallbackRequest?.responseFormat);
    const attempt = tracer.spans.find((s) => s.kind === "attempt");
    expect(attempt).toMatchObject({ parentId: spanId, status: "error", error: expect.stringMatching(/^rejected: the reply has no \[\[ ## answer ## \]\]/), outputs: { raw: "Sure! The answer would be Paris." } });
  });

  it("a reply cut off at the output cap is never an answer: retried once with twice the cap, else an error naming the cause", async () => {
    const lm = new ScriptedLM([{ cut: GOOD }, GOOD]);
    const { call, records } = args(lm, { settings: { model: "m1", maxTokens: 50 } });
    const result = await callWithAdapter(call);
    expect(result.attempts).toBe(2);
    expect(lm.requests.map((r) => r.maxTokens)).toEqual([50, 100]);
    expect(lm.requests[1]?.messages).toEqual(lm.requests[0]?.messages);
    expect(records[0]?.rejected).toMatch(/cut off at the output cap \(finish reason "length", maxTokens 50\)/);
    const again = new ScriptedLM([{ cut: "[[ ## answer ## ]]\nGanioth R" }, { cut: "[[ ## answer ## ]]\nGanioth Ro" }]);
    const error = await callWithAdapter(args(again, { settings: { model: "m1", maxTokens: 50 } }).call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputTruncatedError);
    expect((error as Error).message).toMatch(/cut off at the output cap \(finish reason "length", maxTokens 100\) after 2 attempts.*Raise maxTokens/);
    const unset = new ScriptedLM([{ cut: GOOD }]);
    await expect(callWithAdapter(args(unset).call)).rejects.toThrow(/the provider's default cap\) after 1 attempt/);
  });

  it("throws OutputParseError with the raw last reply after every retry and the fallback", async () => {
    const lm = new ScriptedLM(["a", "b", "c", "last words"]);
    const { call } = args(lm);
    const error = await callWithAdapter(call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputParseError);
    const e = error as OutputParseError;
    expect(e.code).toBe("OUTPUT_PARSE");
    expect(e.details).toEqual({ raw: "last words", adapter: "json", attempts: 4, expectedFields: ["answer", "confidence"], parsedFields: [] });
    expect(e.message).toContain("Predict(qa): could not read the outputs (answer, confidence) from the LM reply after 4 attempts (adapters: chat, then json)");
    expect(e.message).toContain("the reply is not a JSON object");
    expect(lm.requests).toHaveLength(4);
  });

  it("honours maxRetries and fallback: null", async () => {
    const lm = new ScriptedLM(["x", "y"]);
    const { call } = args(lm, { maxRetries: 1, fallback: null });
    const error = (await callWithAdapter(call).catch((e: unknown) => e)) as OutputParseError;
    expect(error.details).toMatchObject({ raw: "y", adapter: "chat", attempts: 2 });
    expect(lm.requests).toHaveLength(2);
  });

  it("has no default fallback for the JSON adapter, and reports the fields it could read", async () => {
    const lm = new ScriptedLM(['{"answer": "x", "confidence": 3}']);
    const { call } = args(lm, { adapter: new JSONAdapter(), maxRetries: 0 });
    const error = (await callWithAdapter(call).catch((e: unknown) => e)) as OutputParseError;
    expect(error.details).toMatchObject({ adapter: "json", attempts: 1, parsedFields: ["answer"] });
    expect(error.message).toContain('the output "confidence" must be at most 1; received 3');
  });

  it("records a failed LM call with its error, then rethrows it unchanged", async () => {
    const boom = new Error("provider down");
    const lm = new ScriptedLM([boom]);
    const { call, records } = args(lm);
    await expect(callWithAdapter(call)).rejects.toBe(boom);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ provider: "scripted", model: "m1", error: "provider down", costUsd: 0, cacheHit: false, adapter: "chat", attempt: 1, latencyMs: 0 });
    expect(records[0]).not.toHaveProperty("text");
  });

  it("stops before calling the LM when the signal is aborted", async () => {
    const lm = new ScriptedLM([GOOD]);
    const controller = new AbortController();
    controller.abort();
    const { call } = args(lm, { signal: controller.signal });
    const error = (await callWithAdapter(call).catch((e: unknown) => e)) as DspexError;
    expect(error.code).toBe("ABORTED");
    expect(lm.requests).toHaveLength(0);
  });
});
