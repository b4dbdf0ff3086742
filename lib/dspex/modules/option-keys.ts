// Option objects are checked key by key: a misspelt key is an error naming it and the nearest
// valid one, never silently ignored (a typo in `settings` would otherwise leave the default).
import { DspexError } from "../errors";
import { unknownKeyMessage } from "../signatures/suggest";

export const PREDICT_OPTION_KEYS = ["instructions", "demos", "settings", "adapter", "variables"] as const;
export const LM_SETTING_KEYS = ["model", "temperature", "maxTokens", "topP", "stop", "seed", "reasoningEffort"] as const;

/** Throws OPTION_INVALID for the first key of `value` that is not in `known`, e.g. `Predict: unknown option "instuctions"; did you mean "instructions"? (options: ...)`. */
export function checkOptionKeys(owner: string, what: string, value: unknown, known: readonly string[]): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new DspexError("OPTION_INVALID", `${owner}: ${unknownKeyMessage(what, key, known)}`);
  }
}

/** Checks a predictor's options and the LM settings in them. */
export function checkPredictOptions(owner: string, options: unknown, extra: readonly string[] = []): void {
  checkOptionKeys(owner, "option", options, [...PREDICT_OPTION_KEYS, ...extra]);
  if (typeof options === "object" && options !== null) checkOptionKeys(owner, "setting", (options as { settings?: unknown }).settings, LM_SETTING_KEYS);
}

/** Only a predictor's own options, from options that hold a module's others too. */
export function predictOptionsOf<T extends object>(options: T): Pick<T, Extract<keyof T, (typeof PREDICT_OPTION_KEYS)[number]>> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => (PREDICT_OPTION_KEYS as readonly string[]).includes(key))) as Pick<T, Extract<keyof T, (typeof PREDICT_OPTION_KEYS)[number]>>;
}
