// Payload builders for the event tests and the benchmark: valid events with overridable fields.
import { randomUUID } from "node:crypto";
import type { RuntimeEventPayload, Usage } from "../../schemas";

const iso = (ms = Date.now()) => new Date(ms).toISOString();
export const USAGE: Usage = { inputTokens: 120, cachedInputTokens: 20, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 5 };

export function runStarted(over: Partial<RuntimeEventPayload<"run:started">> = {}): RuntimeEventPayload<"run:started"> {
  const runId = over.runId ?? randomUUID();
  return {
    runId,
    traceId: `trace-${runId}`,
    programId: null,
    programName: "qa",
    versionId: null,
    apiKeyId: null,
    optimizationId: null,
    source: "api",
    input: { question: "What is DSPEx?" },
    startedAt: iso(),
    ...over,
  };
}

export function runFinished(runId: string, over: Partial<RuntimeEventPayload<"run:finished">> = {}): RuntimeEventPayload<"run:finished"> {
  return {
    runId,
    traceId: `trace-${runId}`,
    programId: null,
    programName: "qa",
    status: "ok",
    output: { answer: "a framework" },
    error: null,
    latencyMs: 42,
    usage: USAGE,
    costUsd: 0.000123,
    endedAt: iso(),
    ...over,
  };
}

export function spanFinished(runId: string, over: Partial<RuntimeEventPayload<"span:finished">> = {}): RuntimeEventPayload<"span:finished"> {
  return {
    spanId: randomUUID(),
    runId,
    parentId: null,
    name: "answer",
    kind: "predict",
    path: "answer",
    status: "ok",
    inputs: { question: "q" },
    outputs: { answer: "a" },
    error: null,
    startedAt: iso(),
    endedAt: iso(),
    ...over,
  };
}

export function lmCall(runId: string | null, over: Partial<RuntimeEventPayload<"lmcall:recorded">> = {}): RuntimeEventPayload<"lmcall:recorded"> {
  return {
    id: randomUUID(),
    runId,
    spanId: null,
    programId: null,
    apiKeyId: null,
    optimizationId: null,
    provider: "openai",
    model: "gpt-4o-mini",
    usage: USAGE,
    costUsd: 0.0000615,
    latencyMs: 310,
    cacheHit: false,
    retries: 0,
    adapter: "chat",
    attempt: 1,
    error: null,
    request: { messages: [{ role: "system", content: "Answer." }, { role: "user", content: "[[ ## question ## ]]\nWhat is DSPEx?" }] },
    response: { text: "[[ ## answer ## ]]\na framework\n\n[[ ## completed ## ]]" },
    at: iso(),
    ...over,
  };
}

export function agentState(agentId: string, over: Partial<RuntimeEventPayload<"agent:state">> = {}): RuntimeEventPayload<"agent:state"> {
  return {
    agentId,
    systemId: "sys1",
    name: `agent ${agentId}`,
    role: "worker",
    state: "busy",
    mailboxDepth: 0,
    processed: 0,
    restarts: 0,
    lastError: null,
    at: iso(),
    ...over,
  };
}
