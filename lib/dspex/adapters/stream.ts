// Streaming predictions: field text as it arrives, then the validated outputs.
import { DspexError } from "../errors";
import type { LMResponse } from "../lm/types";
import type { Values } from "../signatures";
import { AdapterRun, type CallWithAdapterArgs, type CallWithAdapterResult, type RunStart } from "./adapter-run";

export type StreamEvent<O extends Values = Values> =
  /** A piece of an output field's text (chat: marker sections; JSON: top-level values). */
  | { readonly type: "field"; readonly field: string; readonly text: string }
  /** The streamed reply could not be used; later attempts are not streamed, so drop what was shown. */
  | { readonly type: "retry"; readonly attempt: number; readonly adapter: string; readonly problem: string }
  | { readonly type: "done"; readonly result: CallWithAdapterResult<O> };

/**
 * Like callWithAdapter, but the first attempt is streamed through the adapter's stream parser and
 * yields `field` events as text arrives, then one `done` event. When the LM has no `stream` or the
 * adapter no stream parser, it yields only `done`. When the streamed reply cannot be used, it
 * yields `retry` and continues with the same retries and fallback as callWithAdapter (not streamed).
 */
export async function* streamWithAdapter<O extends Values = Values>(args: CallWithAdapterArgs<O>): AsyncGenerator<StreamEvent<O>, void, undefined> {
  const run = new AdapterRun(args);
  const { lm, adapter, signature, params, inputs, module } = args;
  if (!lm.stream || !adapter.createStreamParser) {
    yield { type: "done", result: await run.run() };
    return;
  }
  const formatted = adapter.format(signature, params, inputs);
  run.begin();
  const request = run.request(formatted.messages, formatted.responseFormat);
  const startedAt = run.now();
  const parser = adapter.createStreamParser(signature);
  let response: LMResponse | undefined;
  try {
    for await (const event of lm.stream(request, run.callOptions())) {
      if (event.type === "done") response = event.response;
      else for (const delta of parser.push(event.delta)) yield { type: "field", field: delta.field, text: delta.text };
    }
    if (!response) throw new DspexError("LM_BAD_RESPONSE", `${module}: the LM stream (${lm.provider}) ended without its "done" event; the LM's stream() must end with { type: "done", response }`);
  } catch (error) {
    run.recordError(adapter, request, startedAt, error);
    throw error;
  }
  for (const delta of parser.end()) yield { type: "field", field: delta.field, text: delta.text };
  const outcome = run.settle(adapter, request, startedAt, response);
  if (outcome.ok) {
    yield { type: "done", result: { outputs: outcome.outputs, response, adapter: adapter.name, attempts: run.attempts, messages: formatted.messages } };
    return;
  }
  const { failure } = outcome;
  if (!failure.truncated && run.maxRetries === 0 && run.adapters.length === 1) throw run.finalError(failure);
  yield { type: "retry", attempt: run.attempts, adapter: adapter.name, problem: failure.problem };
  const format = formatted.responseFormat ? { responseFormat: formatted.responseFormat } : {};
  const start: RunStart = failure.truncated
    ? { adapterIndex: 0, retry: 0, messages: formatted.messages, ...format, failure }
    : run.maxRetries > 0 && !(failure.unparsed && run.adapters.length > 1)
      ? { adapterIndex: 0, retry: 1, messages: run.withCorrection(adapter, formatted.messages, failure), ...format, failure }
      : { adapterIndex: 1, retry: 0, failure };
  yield { type: "done", result: await run.run(start) };
}
