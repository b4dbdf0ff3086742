// Options of createDemoLM, validated at construction. Time is injected: a clock to read and a
// sleep to wait, so tests never wait for real.
import { z } from "zod";
import { DspexError } from "../errors";

export interface DemoClock {
  /** Milliseconds (any epoch). */
  now(): number;
}

/** Waits `ms` milliseconds; rejects when the signal aborts. */
export type DemoSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type DemoLatency = number | { readonly min: number; readonly max: number };

export interface DemoLMOptions {
  /** Seeds every draw (default 0): the same seed and request always give the same reply. */
  readonly seed?: number;
  /** Simulated latency per call in ms, fixed or a range (default 0: answer at once); scaled by the model. */
  readonly latencyMs?: DemoLatency;
  /** The model used when a request names none (default "dspex-demo-1"). */
  readonly defaultModel?: string;
  readonly clock?: DemoClock;
  readonly sleep?: DemoSleep;
}

const OptionsSchema = z.object({
  seed: z.number().int().optional(),
  latencyMs: z
    .union([
      z.number().min(0),
      z
        .object({ min: z.number().min(0), max: z.number().min(0) })
        .refine((r) => r.min <= r.max, { message: "min must not exceed max" }),
    ])
    .optional(),
  defaultModel: z.string().startsWith("dspex-demo").optional(),
});

export interface ResolvedOptions {
  readonly seed: number;
  readonly latency: { readonly min: number; readonly max: number };
  readonly defaultModel: string;
  readonly clock: DemoClock;
  readonly sleep: DemoSleep;
}

export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function resolveOptions(options: DemoLMOptions): ResolvedOptions {
  const parsed = OptionsSchema.safeParse({ seed: options.seed, latencyMs: options.latencyMs, defaultModel: options.defaultModel });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "options";
    throw new DspexError(
      "OPTION_INVALID",
      `createDemoLM: option "${field}" ${issue.message}; pass e.g. createDemoLM({ seed: 1, latencyMs: { min: 200, max: 600 } })`,
    );
  }
  const latency = parsed.data.latencyMs ?? 0;
  return {
    seed: parsed.data.seed ?? 0,
    latency: typeof latency === "number" ? { min: latency, max: latency } : latency,
    defaultModel: parsed.data.defaultModel ?? "dspex-demo-1",
    clock: options.clock ?? { now: () => Date.now() },
    sleep: options.sleep ?? realSleep,
  };
}
