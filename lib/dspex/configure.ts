// The process default, as dspy.configure: `configure({ lm })` once, then programs, evaluate and
// optimize run on that LM when none is passed. Nothing falls back silently: with no LM passed
// and none configured, the caller gets an error saying how to give one.

import { DspexError } from "./errors";
import type { LM } from "./lm/types";

export interface Configuration {
  /** The LM used when a call passes none; null clears it. */
  readonly lm?: LM | null;
}

let configured: LM | undefined;

export function configure(settings: Configuration): void {
  if (settings.lm !== undefined) configured = settings.lm ?? undefined;
}

/** The LM set by configure(), if any. */
export function configuredLM(): LM | undefined {
  return configured;
}

/** The LM a call should use: the one it was given, else the configured one, else an error naming `caller`. */
export function lmOrConfigured(given: LM | undefined, caller: string): LM {
  const lm = given ?? configured;
  if (lm === undefined) {
    throw new DspexError(
      "LM_NOT_CONFIGURED",
      `${caller}: no LM; pass one (e.g. { lm: createLM({ model: "gpt-4o-mini" }) }) or call configure({ lm }) first. createLM() reads OPENAI_API_KEY, ANTHROPIC_API_KEY or DSPEX_LM_BASE_URL; the offline demo model is createLM({ model: "dspex-demo-1" })`,
    );
  }
  return lm;
}
