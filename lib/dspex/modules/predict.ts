import { randomUUID } from "node:crypto";
import { callWithAdapter, ChatAdapter, JSONAdapter, streamWithAdapter, type StreamEvent } from "../adapters";
import type { Adapter, Demo, FormattedCall } from "../adapters/types";
import type { RunContext } from "../context";
import type { LMSettings } from "../lm/types";
import { signature as parseSignature } from "../signatures";
import type { Signature, Values } from "../signatures/types";
import type { SpanKind } from "../trace/types";
import { lmOrConfigured } from "../configure";
import type { CallWithAdapterResult } from "../adapters";
import { Module, toContext, type ContextLike } from "./module";
import { checkPredictOptions } from "./option-keys";

export type AdapterChoice = "chat" | "json";

/** What Predict's stream() yields: the adapter's events, the last one also carrying the outputs. */
export type PredictStreamEvent<O extends Values = Values> =
  | Exclude<StreamEvent<O>, { readonly type: "done" }>
  | { readonly type: "done"; readonly result: CallWithAdapterResult<O>; readonly outputs: O };

/** Everything about a predictor that can be read, replaced and tuned. */
export interface PredictParams {
  /** Overrides the signature's instructions when set. */
  readonly instructions?: string;
  readonly demos: readonly Demo[];
  readonly settings: LMSettings;
  /** The adapter this predictor prefers; the run context's adapter wins when set. */
  readonly adapter?: AdapterChoice;
  /** Values for the signature's variable input fields. */
  readonly variables: Readonly<Values>;
}

export interface PredictOptions {
  readonly instructions?: string;
  readonly demos?: readonly Demo[];
  readonly settings?: LMSettings;
  readonly adapter?: AdapterChoice;
  readonly variables?: Readonly<Values>;
}

/** A patch for `with`: settings and variables merge into the current ones, the rest replaces. */
export type PredictPatch = PredictOptions;

const CHAT = new ChatAdapter();
const JSON_ADAPTER = new JSONAdapter();

function adaptersFor(choice: AdapterChoice | undefined, ctx: RunContext): { adapter: Adapter; fallback: Adapter | null } {
  if (ctx.adapter) return { adapter: ctx.adapter, fallback: ctx.fallbackAdapter === undefined ? (ctx.adapter.name === "chat" ? JSON_ADAPTER : null) : ctx.fallbackAdapter };
  if (choice === "json") return { adapter: JSON_ADAPTER, fallback: ctx.fallbackAdapter ?? null };
  return { adapter: CHAT, fallback: ctx.fallbackAdapter === undefined ? JSON_ADAPTER : ctx.fallbackAdapter };
}

/** The basic predictor: one LM call (plus parse retries) from a signature's inputs to its outputs. */
export class Predict<I extends Values = Values, O extends Values = Values> extends Module<I, O> {
  readonly signature: Signature<I, O>;
  readonly params: PredictParams;

  constructor(signature: Signature<I, O> | string, options: PredictOptions = {}) {
    super();
    checkPredictOptions("Predict", options);
    this.signature = typeof signature === "string" ? (parseSignature(signature) as unknown as Signature<I, O>) : signature;
    this.params = Object.freeze({
      instructions: options.instructions,
      demos: Object.freeze([...(options.demos ?? [])]),
      settings: Object.freeze({ ...options.settings }),
      adapter: options.adapter,
      variables: Object.freeze({ ...options.variables }),
    });
    Object.freeze(this);
  }

  protected override get spanKind(): SpanKind {
    return "predict";
  }

  get instructions(): string {
    return this.params.instructions ?? this.signature.instructions;
  }

  get demos(): readonly Demo[] {
    return this.params.demos;
  }

  get settings(): LMSettings {
    return this.params.settings;
  }

  /** A new predictor with some parameters changed. */
  with(patch: PredictPatch): Predict<I, O> {
    checkPredictOptions("Predict.with", patch);
    return new Predict(this.signature, {
      instructions: "instructions" in patch ? patch.instructions : this.params.instructions,
      demos: patch.demos ?? this.params.demos,
      settings: patch.settings ? { ...this.params.settings, ...patch.settings } : this.params.settings,
      adapter: "adapter" in patch ? patch.adapter : this.params.adapter,
      variables: patch.variables ? { ...this.params.variables, ...patch.variables } : this.params.variables,
    });
  }

  /** A new predictor over another signature, keeping every parameter. */
  withSignature<I2 extends Values, O2 extends Values>(signature: Signature<I2, O2>): Predict<I2, O2> {
    return new Predict(signature, this.params);
  }

  private prepare(inputs: I, ctx: RunContext) {
    const label = ctx.path ? `Predict(${ctx.path})` : "Predict";
    const given = Object.keys(this.params.variables).length ? { ...this.params.variables, ...inputs } : inputs;
    const values = this.signature.validateInputs(given, label);
    const { adapter, fallback } = adaptersFor(this.params.adapter, ctx);
    const tracer = ctx.tracer;
    const spanId = ctx.parentSpanId;
    return {
      lm: ctx.lm,
      signature: this.signature as unknown as Signature,
      params: { instructions: this.instructions, demos: this.params.demos },
      inputs: values,
      settings: ctx.settings || ctx.overrideSettings ? { ...ctx.settings, ...this.params.settings, ...ctx.overrideSettings } : this.params.settings,
      adapter,
      fallback,
      maxRetries: ctx.maxRetries,
      tracer,
      spanId,
      rolloutId: ctx.rolloutId,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      module: label,
      onLMCall: tracer ? (record: Parameters<NonNullable<Parameters<typeof callWithAdapter>[0]["onLMCall"]>>[0]) => tracer.recordLMCall({ ...record, id: randomUUID(), spanId }) : undefined,
    };
  }

  /**
   * The exact messages (and structured-output format) this predictor would send for these
   * inputs, without calling anything; `toOpenAIMessages` makes them usable without DSPEx.
   */
  override format(inputs: I, context: Partial<RunContext> = {}): FormattedCall {
    return this.formatWith(inputs, context, "Predict.format");
  }

  private formatWith(inputs: I, context: Partial<RunContext>, label: string): FormattedCall {
    const given = Object.keys(this.params.variables).length ? { ...this.params.variables, ...inputs } : inputs;
    const values = this.signature.validateInputs(given, label);
    const { adapter } = adaptersFor(this.params.adapter, context as RunContext);
    return adapter.format(this.signature as unknown as Signature, { instructions: this.instructions, demos: this.params.demos }, values);
  }

  async forward(inputs: I, ctx: RunContext): Promise<O> {
    if (ctx.formatSink) ctx.formatSink(this.formatWith(inputs, ctx, ctx.path ? `Predict(${ctx.path})` : "Predict"), this);
    if (ctx.streamSink) {
      let outputs: O | undefined;
      for await (const event of streamWithAdapter(this.prepare(inputs, ctx))) {
        if (event.type === "done") outputs = event.result.outputs as O;
        ctx.streamSink(event, this);
      }
      return outputs as O;
    }
    const result = await callWithAdapter(this.prepare(inputs, ctx));
    return result.outputs as O;
  }

  /** Streams output fields as the model writes them; the last event carries the validated outputs. */
  override async *stream(inputs: I, context?: ContextLike): AsyncGenerator<PredictStreamEvent<O>, O, undefined> {
    const ctx = context === undefined ? { lm: lmOrConfigured(undefined, "Predict.stream") } : toContext(context);
    let outputs: O | undefined;
    for await (const event of streamWithAdapter<O>(this.prepare(inputs, ctx) as Parameters<typeof streamWithAdapter<O>>[0])) {
      if (event.type === "done") {
        outputs = event.result.outputs;
        yield { ...event, outputs };
      } else yield event;
    }
    return outputs as O;
  }
}
