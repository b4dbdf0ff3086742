// Token counting with a real tokenizer: js-tiktoken's o200k_base encoding, loaded once, lazily
// (the rank table is large, so nothing is loaded until the first call that needs it).
import type { Tiktoken } from "js-tiktoken/lite";

let encoder: Promise<Tiktoken> | undefined;

/** The shared o200k_base encoder; the first call loads it. */
export function loadEncoder(): Promise<Tiktoken> {
  encoder ??= (async () => {
    const [{ Tiktoken: Encoder }, ranks] = await Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]);
    return new Encoder(ranks.default);
  })();
  return encoder;
}

/** Special-token text such as "<|endoftext|>" is counted as ordinary text, never rejected. */
export function encodeText(enc: Tiktoken, text: string): number[] {
  return enc.encode(text, [], []);
}

export function countTokens(enc: Tiktoken, text: string): number {
  return encodeText(enc, text).length;
}

/** The longest prefix of `text` that fits in `maxTokens` tokens. */
export function truncateToTokens(enc: Tiktoken, text: string, maxTokens: number): string {
  const ids = encodeText(enc, text);
  if (ids.length <= maxTokens) return text;
  return enc.decode(ids.slice(0, Math.max(0, maxTokens)));
}
