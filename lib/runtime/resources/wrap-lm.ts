// Two ways to wrap an LM in another, each covering `complete` and `stream` alike:
// - `hookLM`: something is taken before the call and settled after it (a budget reservation, rate
//   capacity, a concurrency slot); a stream settles on its "done" event, on an error, or when the
//   consumer stops early.
// - `policyLM`: the call runs inside a policy (retry, breaker, timeout); a stream runs inside it
//   until its first event, so a failure to start is retried or counted, and a stream that has
//   begun is never replayed.

import { DspexError } from "../../dspex";
import type { LM, LMCallOptions, LMRequest, LMResponse, LMStreamEvent } from "../../dspex";

export type Outcome = { readonly response: LMResponse } | { readonly error: unknown } | { readonly abandoned: true };

export interface LMHooks<S> {
  /** Before the call: wait or reserve; throwing refuses the call. */
  enter(request: LMRequest, options: LMCallOptions | undefined): Promise<S>;
  /** The options passed to the inner LM (default: the caller's). */
  options?(state: S, options: LMCallOptions | undefined): LMCallOptions | undefined;
  /** After the call, exactly once per successful enter; may replace the response. */
  exit(state: S, outcome: Outcome): Promise<LMResponse | void> | LMResponse | void;
}

export function hookLM<S>(inner: LM, hooks: LMHooks<S>): LM {
  const lm: LM = {
    provider: inner.provider,
    ...(inner.defaultModel !== undefined && { defaultModel: inner.defaultModel }),
    async complete(request, options) {
      const state = await hooks.enter(request, options);
      let response: LMResponse;
      try {
        response = await inner.complete(request, hooks.options ? hooks.options(state, options) : options);
      } catch (error) {
        await hooks.exit(state, { error });
        throw error;
      }
      return (await hooks.exit(state, { response })) ?? response;
    },
  };
  const innerStream = inner.stream?.bind(inner);
  if (innerStream !== undefined) {
    lm.stream = async function* (request, options): AsyncGenerator<LMStreamEvent> {
      const state = await hooks.enter(request, options);
      let settled = false;
      try {
        for await (const event of innerStream(request, hooks.options ? hooks.options(state, options) : options)) {
          if (event.type !== "done") {
            yield event;
            continue;
          }
          settled = true;
          const response = (await hooks.exit(state, { response: event.response })) ?? event.response;
          yield { type: "done", response };
        }
      } catch (error) {
        if (!settled) {
          settled = true;
          await hooks.exit(state, { error });
        }
        throw error;
      } finally {
        if (!settled) await hooks.exit(state, { abandoned: true });
      }
    };
  }
  return lm;
}

/** What a policy run gives back: the value, and optionally how to adjust the final response (e.g. add the retries made). */
export interface PolicyResult<T> {
  readonly value: T;
  readonly adjust?: (response: LMResponse) => LMResponse;
}

/** Runs `call` under a policy; `call` receives the options to pass to the inner LM. */
export type PolicyRunner = <T>(request: LMRequest, options: LMCallOptions | undefined, call: (options: LMCallOptions | undefined) => Promise<T>) => Promise<PolicyResult<T>>;

export function policyLM(inner: LM, run: PolicyRunner): LM {
  const lm: LM = {
    provider: inner.provider,
    ...(inner.defaultModel !== undefined && { defaultModel: inner.defaultModel }),
    async complete(request, options) {
      const { value, adjust } = await run(request, options, (o) => inner.complete(request, o));
      return adjust ? adjust(value) : value;
    },
  };
  const innerStream = inner.stream?.bind(inner);
  if (innerStream !== undefined) {
    lm.stream = async function* (request, options): AsyncGenerator<LMStreamEvent> {
      const { value: started, adjust } = await run(request, options, (o) => openStream(innerStream(request, o)));
      const { iterator } = started;
      let result = started.first;
      try {
        while (result.done !== true) {
          const event = result.value;
          yield event.type === "done" && adjust ? { type: "done", response: adjust(event.response) } : event;
          result = await iterator.next();
        }
      } finally {
        if (result.done !== true) await iterator.return?.();
      }
    };
  }
  return lm;
}

interface OpenedStream {
  readonly iterator: AsyncIterator<LMStreamEvent>;
  readonly first: IteratorResult<LMStreamEvent>;
}

/** Starts a stream and waits for its first event (a failure to start surfaces here). */
async function openStream(stream: AsyncIterable<LMStreamEvent>): Promise<OpenedStream> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    return { iterator, first: await iterator.next() };
  } catch (error) {
    await iterator.return?.().catch(() => undefined);
    throw error;
  }
}

/** The model a request will use: its own, or the LM's default. */
export function modelOf(request: LMRequest, lm: LM): string | undefined {
  return request.model ?? lm.defaultModel;
}

/** The caller's abort, as the framework's ABORTED error. */
export function abortedError(what: string, signal: AbortSignal): DspexError {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : "";
  return new DspexError("ABORTED", `${what}: the call was aborted by the caller's signal${reason}`, { cause: signal.reason });
}
