import { DspexError } from "../errors";

/**
 * A sampler option (or a value a sampler option returned) that cannot be used. Carries the
 * sampler, the option and the value received; the message says what the option accepts.
 */
export class SamplerOptionError extends DspexError {
  constructor(
    readonly sampler: string,
    readonly option: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super("OPTION_INVALID", `${sampler}: option "${option}" ${expected} (got ${preview(received)})`);
  }
}

function preview(value: unknown): string {
  if (typeof value === "function") return "a function";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
