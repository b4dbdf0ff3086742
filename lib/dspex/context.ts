import type { Adapter, FormattedCall } from "./adapters/types";
import type { StreamEvent } from "./adapters/stream";
import type { LM, LMSettings } from "./lm/types";
import type { Tracer } from "./trace/types";

/**
 * Everything a running program needs, passed explicitly (no globals): the LM, the adapter, the
 * tracer, cancellation. Modules derive a child context for each step; callers build the root.
 */
export interface RunContext {
  readonly lm: LM;
  /** How prompts are built and replies read; default: the chat adapter, falling back to JSON. */
  readonly adapter?: Adapter;
  /** Used after the adapter fails to parse a reply; default: JSON when the adapter is chat. null disables it. */
  readonly fallbackAdapter?: Adapter | null;
  /** Defaults under every predictor's own LM settings (a predictor's setting wins). */
  readonly settings?: LMSettings;
  /** Settings forced over every predictor's own (BestOfN samples at temperature 1.0 this way). */
  readonly overrideSettings?: LMSettings;
  readonly tracer?: Tracer;
  /** The span the next step runs under. */
  readonly parentSpanId?: string;
  /** The path of the module running, e.g. "generate.predict". */
  readonly path?: string;
  readonly signal?: AbortSignal;
  /** Passed to every LM call: a new rollout id asks for fresh samples past the cache. */
  readonly rolloutId?: string;
  /** Retries per adapter that show the model its parse mistake (default 0 when a fallback adapter follows, else 2). */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
  /** Set by the root module's run: where each module sits in the program tree (for traces). */
  readonly paths?: ReadonlyMap<object, string>;
  /** Set by a module's stream(): every predictor streams its call and hands each event here. */
  readonly streamSink?: (event: StreamEvent, predictor: object) => void;
  /** Set by a module's format(): the first predictor called hands over the call it would make, and the run stops. */
  readonly formatSink?: (call: FormattedCall, predictor: object) => never;
}
