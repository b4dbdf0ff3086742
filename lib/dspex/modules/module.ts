import type { FormattedCall } from "../adapters/types";
import type { StreamEvent } from "../adapters/stream";
import type { RunContext } from "../context";
import { lmOrConfigured } from "../configure";
import { DspexError } from "../errors";
import type { LM } from "../lm/types";
import type { Signature, Values } from "../signatures/types";
import type { SpanKind } from "../trace/types";
import { childEntries, MODULE_BRAND, modulePaths, replaceAt } from "./module-tree";

/**
 * What a module's stream() yields: the output fields of every LM call as they are written (with
 * the path of the predictor writing them; "" is the module itself), a retry when a streamed reply
 * could not be used, each inner step's outputs when it finishes, then the module's outputs.
 */
export type ModuleStreamEvent<O extends Values = Values> =
  | { readonly type: "field"; readonly field: string; readonly text: string; readonly path?: string }
  | { readonly type: "retry"; readonly attempt: number; readonly adapter: string; readonly problem: string; readonly path?: string }
  | { readonly type: "step"; readonly path: string; readonly outputs: Values }
  | { readonly type: "done"; readonly outputs: O };

/** Thrown through a module's forward by format(): carries the first call's messages out. */
class FormatCaptured {
  constructor(
    readonly call: FormattedCall,
    readonly predictor: object,
  ) {}
}

/** The LM format() runs a module on: never called, since the first predictor stops the run. */
const NO_CALLS: LM = {
  provider: "format",
  complete() {
    return Promise.reject(new DspexError("PROGRAM_INVALID", "format(): the module called its LM directly, not through a predictor, so its messages cannot be shown"));
  },
};

/** A RunContext, or just an LM for the common case of `program.run(inputs, lm)`. */
export type ContextLike = RunContext | LM;

export function toContext(ctx: ContextLike): RunContext {
  return "complete" in ctx && typeof ctx.complete === "function" ? { lm: ctx } : (ctx as RunContext);
}

/**
 * The interface a module declares through a `signature` member, if any (Predict and
 * ChainOfThought always do; a program may, to have its API input validated and displayed).
 */
export function signatureOf(module: Module): Signature | undefined {
  const s = (module as { signature?: unknown }).signature;
  return typeof s === "object" && s !== null && "inputs" in s && "outputs" in s && "validateInputs" in s ? (s as Signature) : undefined;
}

/**
 * A step of a language-model program. Authors implement `forward`; callers use `run`, which
 * records the step in the trace. Modules are immutable: changing a part yields a new module.
 */
export abstract class Module<I extends Values = Values, O extends Values = Values> {
  abstract forward(inputs: I, ctx: RunContext): Promise<O>;

  get [MODULE_BRAND](): true {
    return true;
  }

  /** The kind shown in traces and the dashboard, e.g. "Predict", "ChainOfThought", or the class name. */
  get kind(): string {
    return this.constructor.name;
  }

  protected get spanKind(): SpanKind {
    return "module";
  }

  /** Runs on the given LM or context; without one, on the LM set by configure({ lm }). */
  async run(inputs: I, context?: ContextLike): Promise<O> {
    const given = context === undefined ? undefined : toContext(context);
    const ctx: RunContext = given?.lm ? given : { ...given, lm: lmOrConfigured(undefined, `${this.kind}.run`) };
    const tracer = ctx.tracer;
    if (!tracer) return this.forward(inputs, ctx);

    const paths = ctx.paths ?? modulePaths(this);
    const path = paths.get(this) ?? ctx.path ?? "";
    const spanId = tracer.startSpan({
      name: path || this.kind,
      kind: ctx.paths ? this.spanKind : "program",
      parentId: ctx.parentSpanId,
      path,
      inputs,
      attributes: { module: this.kind },
    });
    try {
      const outputs = await this.forward(inputs, { ...ctx, parentSpanId: spanId, path, paths });
      tracer.endSpan(spanId, { status: "ok", outputs });
      return outputs;
    } catch (err) {
      tracer.endSpan(spanId, { status: "error", error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  /**
   * The exact messages (and structured-output format) of the first LM call this module would make
   * for these inputs, without calling anything: the module runs until its first predictor, which
   * hands over its call instead of making it. `await` it on any module (Predict's and
   * ChainOfThought's are immediate); `toOpenAIMessages` makes the messages usable without DSPEx.
   */
  format(inputs: I, context: Partial<RunContext> = {}): FormattedCall | Promise<FormattedCall> {
    return this.formatAsync(inputs, context);
  }

  private async formatAsync(inputs: I, context: Partial<RunContext>): Promise<FormattedCall> {
    let captured: FormattedCall | undefined;
    const ctx: RunContext = {
      ...context,
      lm: context.lm ?? NO_CALLS,
      tracer: undefined,
      streamSink: undefined,
      formatSink: (call, predictor) => {
        captured ??= call;
        throw new FormatCaptured(call, predictor);
      },
    };
    try {
      await this.forward(inputs, ctx);
    } catch (err) {
      // A module that catches its steps' failures (retries, samples) still stopped at the first call.
      if (captured) return captured;
      throw err;
    }
    if (captured) return captured;
    throw new DspexError("PROGRAM_INVALID", `${this.kind}.format: the module finished without calling a predictor, so it makes no LM call to show`);
  }

  /**
   * Runs the module and yields as it goes: the output fields of each LM call as the model writes
   * them (tagged with the predictor's path), each step's outputs, then `done` with the module's
   * outputs (also the generator's return value). On an LM without streaming, fields arrive whole
   * when each call ends. Without a context, runs on the LM set by configure({ lm }).
   */
  async *stream(inputs: I, context?: ContextLike): AsyncGenerator<ModuleStreamEvent<O>, O, undefined> {
    const given = context === undefined ? undefined : toContext(context);
    const base: RunContext = given?.lm ? given : { ...given, lm: lmOrConfigured(undefined, `${this.kind}.stream`) };
    const paths = modulePaths(this);
    const queue: ModuleStreamEvent<O>[] = [];
    let wake: (() => void) | undefined;
    const push = (event: ModuleStreamEvent<O>) => {
      queue.push(event);
      wake?.();
    };
    const sink = (event: StreamEvent, predictor: object) => {
      const path = paths.get(predictor as Module) ?? "";
      if (event.type === "field") push({ type: "field", field: event.field, text: event.text, path });
      else if (event.type === "retry") push({ type: "retry", attempt: event.attempt, adapter: event.adapter, problem: event.problem, path });
      else push({ type: "step", path, outputs: event.result.outputs });
    };
    let finished = false;
    let failure: { error: unknown } | undefined;
    let outputs: O | undefined;
    const running = this.run(inputs, { ...base, streamSink: sink }).then(
      (out) => {
        outputs = out;
        finished = true;
        wake?.();
      },
      (error: unknown) => {
        failure = { error };
        finished = true;
        wake?.();
      },
    );
    try {
      while (true) {
        while (queue.length > 0) yield queue.shift()!;
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      await running;
    }
    if (failure) throw failure.error;
    yield { type: "done", outputs: outputs as O };
    return outputs as O;
  }

  /** Direct child modules with their names (own properties holding modules, or arrays of them). */
  children(): ReadonlyArray<readonly [string, Module]> {
    return childEntries(this);
  }

  /** Every module below this one (depth first) with its dotted path. */
  namedModules(): Array<readonly [string, Module]> {
    const out: Array<readonly [string, Module]> = [];
    const walk = (m: Module, prefix: string) => {
      for (const [name, child] of m.children()) {
        const path = prefix ? `${prefix}.${name}` : name;
        out.push([path, child]);
        walk(child, path);
      }
    };
    walk(this, "");
    return out;
  }

  /** The module at a dotted path ("" is this module). */
  get(path: string): Module | undefined {
    if (path === "") return this;
    return this.namedModules().find(([p]) => p === path)?.[1];
  }

  /** A copy of this module with the module at `path` replaced; this module is unchanged. */
  replace(path: string, module: Module): this {
    if (!this.get(path)) {
      throw new DspexError("PROGRAM_INVALID", `${this.kind}: no module at "${path}"; modules: ${this.namedModules().map(([p]) => p).join(", ") || "(none)"}`);
    }
    return replaceAt(this, path.split("."), module);
  }

  /** A shallow copy with the same prototype; used by replace and by modules' own "with" methods. */
  protected clone(): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this);
  }
}
