import type { Values } from "../signatures";
import { AdapterRun, type CallWithAdapterArgs, type CallWithAdapterResult } from "./adapter-run";

/**
 * One prediction: format the messages, call the LM, read and validate the reply. A reply that
 * cannot be used is shown back to the model with what was wrong (up to `maxRetries` times per
 * adapter); then the fallback adapter gets its own fresh attempts. Throws OutputParseError (with
 * the raw last reply) when every attempt failed; LM errors are recorded and rethrown as they are.
 */
export function callWithAdapter<O extends Values = Values>(args: CallWithAdapterArgs<O>): Promise<CallWithAdapterResult<O>> {
  return new AdapterRun(args).run();
}
