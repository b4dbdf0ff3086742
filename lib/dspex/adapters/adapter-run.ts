// The attempt loop shared by callWithAdapter and streamWithAdapter: call the LM, read the reply,
// validate; on a failure show the model its mistake and retry; then switch to the fallback adapter.
import { DspexError, LMError, OutputParseError, OutputTruncatedError, OutputValidationError } from "../errors";
import { EMPTY_USAGE, type ChatMessage, type LM, type LMCallOptions, type LMRequest, type LMResponse, type LMSettings, type ResponseFormat } from "../lm/types";
import type { LMCallRecord, Tracer } from "../trace/types";
import type { Signature, Values } from "../signatures";
import type { Adapter, AdapterParams } from "./types";
import { AdapterParseError } from "./adapter-parse-error";
import { CHAT_ADAPTER_NAME } from "./chat-adapter";
import { jsonAdapter } from "./json-adapter";

export type LMCallRecordDraft = Omit<LMCallRecord, "id" | "spanId">;

export interface CallWithAdapterArgs<O extends Values = Values> {
  readonly lm: LM;
  readonly signature: Signature<Values, O>;
  readonly params: AdapterParams;
  /** Already validated inputs (Predict runs signature.validateInputs first). */
  readonly inputs: Values;
  readonly settings: LMSettings;
  readonly adapter: Adapter;
  /** Used after `adapter` has failed maxRetries + 1 times. Default: the JSON adapter when `adapter` is the chat adapter; null: none. */
  readonly fallback?: Adapter | null;
  /**
   * Retries per adapter that show the model its mistake (default 2). A reply that cannot be parsed
   * at all switches to the fallback at once when there is one (structured output, as DSPy does: at
   * most 2 calls on a model that ignores the format); a reply that parses but fails validation is
   * shown back to the model.
   */
  readonly maxRetries?: number;
  /** Where rejected attempts are recorded as spans (under spanId) with the reason. */
  readonly tracer?: Tracer;
  readonly spanId?: string;
  readonly rolloutId?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** The module's name for error messages, e.g. "Predict(generate)". */
  readonly module: string;
  /** Called once per LM call (failed calls too, with `error`). */
  readonly onLMCall?: (record: LMCallRecordDraft) => void;
  /** Clock for LMCallRecord.startedAt (epoch ms); default Date.now. */
  readonly now?: () => number;
}

export interface CallWithAdapterResult<O extends Values = Values> {
  readonly outputs: O;
  /** The LM response whose reply was used. */
  readonly response: LMResponse;
  /** The name of the adapter that read it. */
  readonly adapter: string;
  /** LM calls made, over all adapters. */
  readonly attempts: number;
  /** The exact messages of the successful call. */
  readonly messages: readonly ChatMessage[];
}

export interface Failure {
  readonly problem: string;
  /** The reply was cut off at the output cap. */
  readonly truncated?: boolean;
  /** The reply could not be parsed at all (not a validation failure). */
  readonly unparsed?: boolean;
  readonly raw: string;
  readonly adapter: string;
  readonly parsedFields: readonly string[];
}

export type ReadOutcome<O> = { readonly ok: true; readonly outputs: O } | { readonly ok: false; readonly failure: Failure };

/** Where a run picks up: a later retry of an adapter, with messages that already show the mistake. */
export interface RunStart {
  readonly adapterIndex: number;
  readonly retry: number;
  /** The conversation so far; absent: the adapter formats fresh messages. */
  readonly messages?: readonly ChatMessage[];
  readonly responseFormat?: ResponseFormat;
  readonly failure: Failure;
}

let defaultFallback: Adapter | undefined;

function resolveFallback(adapter: Adapter, fallback: Adapter | null | undefined): Adapter | undefined {
  if (fallback === null) return undefined;
  if (fallback) return fallback === adapter ? undefined : fallback;
  if (adapter.name !== CHAT_ADAPTER_NAME) return undefined;
  return (defaultFallback ??= jsonAdapter());
}

function problemOf(error: AdapterParseError | OutputValidationError): string {
  if (error instanceof AdapterParseError) return error.problem;
  return error.issues.map((i) => `the output "${i.field}" ${i.message}`).join("; ");
}

export class AdapterRun<O extends Values> {
  readonly adapters: readonly Adapter[];
  readonly maxRetries: number;
  attempts = 0;
  readonly now: () => number;

  constructor(private readonly args: CallWithAdapterArgs<O>) {
    const fallback = resolveFallback(args.adapter, args.fallback);
    this.adapters = fallback ? [args.adapter, fallback] : [args.adapter];
    this.maxRetries = Math.max(0, args.maxRetries ?? 2);
    this.now = args.now ?? Date.now;
  }

  /** A larger output cap after a reply was cut off (set once). */
  private raisedMaxTokens: number | undefined;

  request(messages: readonly ChatMessage[], responseFormat: ResponseFormat | undefined): LMRequest {
    const { settings, rolloutId } = this.args;
    const request: { -readonly [K in keyof LMRequest]: LMRequest[K] } = { ...settings, messages };
    if (this.raisedMaxTokens !== undefined) request.maxTokens = this.raisedMaxTokens;
    if (responseFormat) request.responseFormat = responseFormat;
    if (rolloutId !== undefined) request.rolloutId = rolloutId;
    return request;
  }

  /** Counts the attempt and throws when the caller has aborted. */
  begin(): number {
    const { signal, module } = this.args;
    if (signal?.aborted) throw new DspexError("ABORTED", `${module}: the call was aborted before LM attempt ${this.attempts + 1}; pass a signal that is not aborted to run it`);
    return ++this.attempts;
  }

  record(adapter: Adapter, request: LMRequest, startedAt: number, response: LMResponse, rejected?: string): void {
    this.args.onLMCall?.({
      provider: response.provider,
      model: response.model,
      messages: request.messages,
      responseFormat: request.responseFormat,
      settings: this.args.settings,
      text: response.text,
      usage: response.usage,
      costUsd: response.costUsd ?? 0,
      ...(response.costUsd === undefined && !response.cacheHit && { priceUnknown: true as const }),
      latencyMs: response.latencyMs,
      cacheHit: response.cacheHit,
      retries: response.retries ?? 0,
      adapter: adapter.name,
      attempt: this.attempts,
      ...(rejected !== undefined && { rejected }),
      startedAt,
    });
  }

  /**
   * Reads a reply and records its call: a reply cut off at the output cap is never an answer; a
   * rejected attempt is recorded with its reason (on the LM call and as an error span).
   */
  settle(adapter: Adapter, request: LMRequest, startedAt: number, response: LMResponse): ReadOutcome<O> {
    const outcome: ReadOutcome<O> =
      response.finishReason === "length"
        ? { ok: false, failure: { problem: truncated(request), raw: response.text, adapter: adapter.name, parsedFields: [], truncated: true } }
        : this.read(adapter, response.text);
    const rejected = outcome.ok ? undefined : outcome.failure.problem;
    this.record(adapter, request, startedAt, response, rejected);
    if (rejected !== undefined) this.rejectedSpan(adapter, startedAt, rejected, response.text);
    return outcome;
  }

  private rejectedSpan(adapter: Adapter, startedAt: number, reason: string, raw: string): void {
    const { tracer, spanId } = this.args;
    if (!tracer) return;
    const id = tracer.startSpan({
      name: `attempt ${this.attempts} (${adapter.name} adapter): rejected`,
      kind: "attempt",
      ...(spanId !== undefined && { parentId: spanId }),
      attributes: { adapter: adapter.name, attempt: this.attempts, rejected: reason, startedAt },
    });
    tracer.endSpan(id, { status: "error", error: `rejected: ${reason}`, outputs: { raw } });
  }

  /** After a cut-off reply: retry once with twice the cap when the cap is known, else fail naming the cause. */
  raiseCap(failure: Failure): void {
    const cap = this.raisedMaxTokens ?? this.args.settings.maxTokens;
    if (this.raisedMaxTokens !== undefined || cap === undefined) {
      throw new OutputTruncatedError(
        `${this.args.module}: the LM reply was cut off at the output cap (finish reason "length"${cap !== undefined ? `, maxTokens ${cap}` : ", the provider's default cap"}) after ${this.attempts} attempt${this.attempts === 1 ? "" : "s"}; a cut-off reply is never used as an answer. Raise maxTokens in the predictor's settings.`,
        { raw: failure.raw, adapter: failure.adapter, attempts: this.attempts, expectedFields: this.args.signature.outputs.map((f) => f.name), parsedFields: [] },
      );
    }
    this.raisedMaxTokens = cap * 2;
  }

  recordError(adapter: Adapter, request: LMRequest, startedAt: number, error: unknown): void {
    const { lm, settings } = this.args;
    this.args.onLMCall?.({
      provider: lm.provider,
      model: settings.model ?? lm.defaultModel ?? "unknown",
      messages: request.messages,
      responseFormat: request.responseFormat,
      settings,
      usage: EMPTY_USAGE,
      costUsd: 0,
      latencyMs: Math.max(0, this.now() - startedAt),
      cacheHit: false,
      retries: error instanceof LMError ? (error.details.retries ?? 0) : 0,
      adapter: adapter.name,
      attempt: this.attempts,
      error: error instanceof Error ? error.message : String(error),
      startedAt,
    });
  }

  /** The signal and timeout for the LM, or undefined when there are none. */
  callOptions(): LMCallOptions | undefined {
    const { signal, timeoutMs } = this.args;
    if (!signal && timeoutMs === undefined) return undefined;
    return { ...(signal ? { signal } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }

  /** One LM call and its reading (the call is recorded with the outcome). */
  async attempt(adapter: Adapter, messages: readonly ChatMessage[], responseFormat: ResponseFormat | undefined): Promise<{ response: LMResponse; outcome: ReadOutcome<O> }> {
    this.begin();
    const request = this.request(messages, responseFormat);
    const startedAt = this.now();
    let response: LMResponse;
    try {
      response = await this.args.lm.complete(request, this.callOptions());
    } catch (error) {
      this.recordError(adapter, request, startedAt, error);
      throw error;
    }
    return { response, outcome: this.settle(adapter, request, startedAt, response) };
  }

  read(adapter: Adapter, text: string): ReadOutcome<O> {
    const { signature, module } = this.args;
    let parsed: Values | undefined;
    try {
      parsed = adapter.parse(signature, text);
      return { ok: true, outputs: signature.validateOutputs(parsed, module) };
    } catch (error) {
      if (!(error instanceof AdapterParseError) && !(error instanceof OutputValidationError)) throw error;
      const parsedFields =
        error instanceof AdapterParseError ? error.details.parsedFields : Object.keys(parsed ?? {}).filter((k) => !error.issues.some((i) => i.field === k));
      return { ok: false, failure: { problem: problemOf(error), raw: text, adapter: adapter.name, parsedFields, ...(error instanceof AdapterParseError && { unparsed: true }) } };
    }
  }

  /** The conversation for the next retry: the model's reply, then what was wrong and the format. */
  withCorrection(adapter: Adapter, messages: readonly ChatMessage[], failure: Failure): ChatMessage[] {
    const text = adapter.correction
      ? adapter.correction(this.args.signature, failure.problem)
      : `Your previous reply could not be used: ${failure.problem}.\n\nReply again in the format the system message describes.`;
    return [...messages, { role: "assistant", content: failure.raw }, { role: "user", content: text }];
  }

  async run(start?: RunStart): Promise<CallWithAdapterResult<O>> {
    const { signature, params, inputs } = this.args;
    let last = start?.failure;
    for (let a = start?.adapterIndex ?? 0; a < this.adapters.length; a++) {
      const adapter = this.adapters[a] as Adapter;
      const resume = start && a === start.adapterIndex ? start : undefined;
      const formatted = resume?.messages ? { messages: resume.messages, responseFormat: resume.responseFormat } : adapter.format(signature, params, inputs);
      let messages = formatted.messages;
      if (resume?.failure.truncated) this.raiseCap(resume.failure);
      for (let r = resume?.retry ?? 0; r <= this.maxRetries; r++) {
        const { response, outcome } = await this.attempt(adapter, messages, formatted.responseFormat);
        if (outcome.ok) return { outputs: outcome.outputs, response, adapter: adapter.name, attempts: this.attempts, messages };
        last = outcome.failure;
        if (outcome.failure.truncated) {
          // Not the model's mistake: the same request again with room to finish.
          this.raiseCap(outcome.failure);
          r--;
          continue;
        }
        if (outcome.failure.unparsed && a < this.adapters.length - 1) break;
        if (r < this.maxRetries) messages = this.withCorrection(adapter, messages, outcome.failure);
      }
    }
    throw this.finalError(last);
  }

  finalError(last: Failure | undefined): OutputParseError {
    const { signature, module } = this.args;
    const expected = signature.outputs.map((f) => f.name);
    const names = this.adapters.map((a) => a.name).join(", then ");
    const problem = last?.problem ?? "no reply";
    return new OutputParseError(
      `${module}: could not read the outputs (${expected.join(", ")}) from the LM reply after ${this.attempts} attempt${this.attempts === 1 ? "" : "s"} (adapters: ${names}). Last problem (${last?.adapter ?? this.args.adapter.name} adapter): ${problem}. The raw reply is in error.details.raw; a stronger model, clearer field descriptions or demos usually help.`,
      { raw: last?.raw ?? "", adapter: last?.adapter ?? this.args.adapter.name, attempts: this.attempts, expectedFields: expected, parsedFields: last?.parsedFields ?? [] },
    );
  }
}

function truncated(request: LMRequest): string {
  return `the reply was cut off at the output cap (finish reason "length"${request.maxTokens !== undefined ? `, maxTokens ${request.maxTokens}` : ""})`;
}
