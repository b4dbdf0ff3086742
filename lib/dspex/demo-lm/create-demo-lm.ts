// The offline demo model: a clearly labelled simulator behind the LM interface. It reads the
// adapter's prompt, answers with small deterministic solvers, and errs as often as its documented
// competence says (README.md). No network, no weights, no Math.random.
import type { Tiktoken } from "js-tiktoken/lite";
import { DspexError, LMError } from "../errors";
import type { FinishReason, LM, LMCallOptions, LMRequest, LMResponse, LMStreamEvent, Usage } from "../lm/types";
import { decide, plainReply } from "./decide";
import { demoModelProfile, isDemoModel, DEMO_MODELS } from "./models";
import { type DemoLMOptions, type ResolvedOptions, resolveOptions } from "./options";
import { readDemoRequest } from "./read-any-request";
import { unitHash } from "./seeded-hash";
import { countTokensWith, loadEncoder, truncateToTokens } from "../lm/tokenizer";

export const DEMO_PROVIDER = "demo";

interface Prepared {
  readonly model: string;
  readonly choices: readonly string[];
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  /** Simulated latency for this call, in ms. */
  readonly latencyMs: number;
}

function checkAborted(options: LMCallOptions | undefined, model: string): void {
  if (options?.signal?.aborted) throw new DspexError("ABORTED", `demo LM: the call to "${model}" was aborted before it finished`);
}

/** Cuts a reply at the first stop sequence and at maxTokens. */
async function limit(enc: Tiktoken, text: string, request: LMRequest): Promise<{ text: string; cut: FinishReason | undefined }> {
  let out = text;
  for (const stop of request.stop ?? []) {
    const at = stop === "" ? -1 : out.indexOf(stop);
    if (at >= 0) out = out.slice(0, at);
  }
  if (request.maxTokens !== undefined) {
    const cut = await truncateToTokens(enc, out, request.maxTokens);
    if (cut !== out) return { text: cut, cut: "length" };
  }
  return { text: out, cut: undefined };
}

async function prepare(opts: ResolvedOptions, request: LMRequest): Promise<Prepared> {
  const model = request.model ?? opts.defaultModel;
  if (!isDemoModel(model)) {
    throw new LMError(
      "LM_ERROR",
      `demo LM: unknown model "${model}"; the demo provider only serves ${DEMO_MODELS.map((m) => m.name).join(", ")} (any name starting with "dspex-demo")`,
      { provider: DEMO_PROVIDER, model, status: 404 },
    );
  }
  const enc = await loadEncoder();
  const profile = demoModelProfile(model);
  const reading = readDemoRequest(request);
  const parsed = reading.request;
  const temperature = request.temperature ?? 0;
  const n = Math.max(1, Math.floor(request.n ?? 1));
  let finishReason: FinishReason = "stop";
  const choices: string[] = [];
  for (let sampleIndex = 0; sampleIndex < n; sampleIndex++) {
    const key = { seed: opts.seed, model: profile, temperature, rolloutId: request.rolloutId, sampleIndex };
    const full = parsed.plain
      ? parsed.wantsJson
        ? JSON.stringify({ answer: plainReply(parsed) })
        : plainReply(parsed)
      : reading.write(decide(parsed, key).values);
    const { text, cut } = await limit(enc, full, request);
    if (cut) finishReason = cut;
    choices.push(text);
  }
  let inputTokens = 0;
  for (const m of request.messages) inputTokens += await countTokensWith(enc, m.content);
  let outputTokens = 0;
  for (const c of choices) outputTokens += await countTokensWith(enc, c);
  const usage: Usage = { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
  const { min, max } = opts.latency;
  const draw = unitHash(opts.seed, model, parsed.questionText, request.rolloutId, "latency");
  const latencyMs = Math.round((min + (max - min) * draw) * profile.latencyFactor);
  return { model, choices, finishReason, usage, latencyMs };
}

/** Sleeps, honouring the call's timeout (an LM_TIMEOUT error) and abort signal. */
async function wait(opts: ResolvedOptions, ms: number, model: string, options: LMCallOptions | undefined, waited: number): Promise<void> {
  if (ms <= 0) return;
  const timeout = options?.timeoutMs;
  if (timeout !== undefined && waited + ms > timeout) {
    await opts.sleep(Math.max(0, timeout - waited), options?.signal);
    throw new LMError("LM_TIMEOUT", `demo LM: "${model}" took longer than timeoutMs=${timeout}`, { provider: DEMO_PROVIDER, model });
  }
  try {
    await opts.sleep(ms, options?.signal);
  } catch (err) {
    if (options?.signal?.aborted) throw new DspexError("ABORTED", `demo LM: the call to "${model}" was aborted`, { cause: err });
    throw err;
  }
}

function toResponse(p: Prepared, latencyMs: number): LMResponse {
  return {
    text: p.choices[0] ?? "",
    ...(p.choices.length > 1 ? { choices: p.choices } : {}),
    finishReason: p.finishReason,
    usage: p.usage,
    provider: DEMO_PROVIDER,
    model: p.model,
    cacheHit: false,
    latencyMs,
  };
}

/** Small pieces of a text (two words each, with their spacing) that join back to it exactly. */
export function chunkText(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += 2) chunks.push(pieces.slice(i, i + 2).join(""));
  return chunks;
}

/** Share of the latency spent before the first streamed chunk. */
const FIRST_CHUNK_SHARE = 0.3;

export function createDemoLM(options: DemoLMOptions = {}): LM {
  const opts = resolveOptions(options);
  return {
    provider: DEMO_PROVIDER,
    defaultModel: opts.defaultModel,
    async complete(request, callOptions) {
      const started = opts.clock.now();
      const model = request.model ?? opts.defaultModel;
      checkAborted(callOptions, model);
      const prepared = await prepare(opts, request);
      await wait(opts, prepared.latencyMs, prepared.model, callOptions, 0);
      return toResponse(prepared, opts.clock.now() - started);
    },
    async *stream(request, callOptions): AsyncIterable<LMStreamEvent> {
      const started = opts.clock.now();
      checkAborted(callOptions, request.model ?? opts.defaultModel);
      const prepared = await prepare(opts, request);
      const chunks = chunkText(prepared.choices[0] ?? "");
      const first = Math.round(prepared.latencyMs * FIRST_CHUNK_SHARE);
      const rest = chunks.length ? (prepared.latencyMs - first) / chunks.length : 0;
      let waited = 0;
      await wait(opts, first, prepared.model, callOptions, waited);
      waited += first;
      for (const delta of chunks) {
        checkAborted(callOptions, prepared.model);
        yield { type: "text", delta };
        await wait(opts, rest, prepared.model, callOptions, waited);
        waited += rest;
      }
      yield { type: "done", response: toResponse(prepared, opts.clock.now() - started) };
    },
  };
}
