import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { LM } from "../lm/types";
import type { Signature, Values } from "../signatures/types";
import type { SpanKind } from "../trace/types";
import { childEntries, MODULE_BRAND, modulePaths, replaceAt } from "./module-tree";

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

  async run(inputs: I, context: ContextLike): Promise<O> {
    const ctx = toContext(context);
    if (!ctx.lm) throw new DspexError("LM_NOT_CONFIGURED", `${this.kind}.run: no LM; pass run(inputs, lm) or run(inputs, { lm })`);
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
