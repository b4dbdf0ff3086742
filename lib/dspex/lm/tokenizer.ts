// Token counting (o200k_base, js-tiktoken) in time bounded by the text's length. js-tiktoken's BPE
// is quadratic or worse in the length of one pre-token: a run of 8,000 "x" or 2,000 emoji takes
// seconds, and it runs on the event loop. So no pre-token longer than SLICE_CHARS ever reaches the
// BPE (long runs are encoded in slices), the work yields to the event loop every few milliseconds,
// and a text longer than EXACT_MAX_CHARS is counted on its first EXACT_MAX_CHARS characters and
// scaled by its UTF-8 size. Counts are exact for text whose words are shorter than SLICE_CHARS,
// which is nearly all prose; longer runs and longer texts give estimates.

import type { Tiktoken } from "js-tiktoken/lite";

/** Longest run of non-space (or space) characters encoded in one piece. */
export const SLICE_CHARS = 16;
/** Longest text counted in full; longer texts are scaled from this prefix. */
export const EXACT_MAX_CHARS = 16_384;
/** Work between two yields to the event loop, in characters. */
const YIELD_EVERY_CHARS = 1_024;

let encoder: Promise<Tiktoken> | undefined;

/** The shared o200k_base encoder; the first call loads it (the rank table is large). */
export function loadEncoder(): Promise<Tiktoken> {
  encoder ??= Promise.all([import("js-tiktoken/lite"), import("js-tiktoken/ranks/o200k_base")]).then(([lite, ranks]) => new lite.Tiktoken(ranks.default));
  return encoder;
}

const LONG_RUN = new RegExp(`\\S{${SLICE_CHARS + 1},}|\\s{${SLICE_CHARS + 1},}`, "g");

/** Cut points of `text` into pieces the BPE handles in linear time overall. */
function* pieces(text: string): Generator<string> {
  let at = 0;
  LONG_RUN.lastIndex = 0;
  for (let m = LONG_RUN.exec(text); m !== null; m = LONG_RUN.exec(text)) {
    if (m.index > at) yield* chunks(text.slice(at, m.index));
    const run = m[0];
    for (let i = 0; i < run.length; ) {
      let end = Math.min(run.length, i + SLICE_CHARS);
      // Never split a surrogate pair: the halves would encode as replacement characters.
      if (end < run.length && isHighSurrogate(run.charCodeAt(end - 1))) end++;
      yield run.slice(i, end);
      i = end;
    }
    at = m.index + run.length;
  }
  if (at < text.length) yield* chunks(text.slice(at));
}

/** Short-word text in chunks of about YIELD_EVERY_CHARS, cut before a space so no word is split. */
function* chunks(text: string): Generator<string> {
  let at = 0;
  while (text.length - at > YIELD_EVERY_CHARS) {
    let cut = text.lastIndexOf(" ", at + YIELD_EVERY_CHARS);
    if (cut <= at) cut = at + YIELD_EVERY_CHARS;
    yield text.slice(at, cut);
    at = cut;
  }
  yield text.slice(at);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

const breather = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Token ids of `text` (special-token text such as "<|endoftext|>" is ordinary text), in bounded
 * time, yielding to the event loop between pieces. Used whole for texts up to EXACT_MAX_CHARS.
 */
export async function encodeBounded(enc: Tiktoken, text: string): Promise<number[]> {
  const ids: number[] = [];
  let since = 0;
  for (const piece of pieces(text)) {
    for (const id of enc.encode(piece, [], [])) ids.push(id);
    since += piece.length;
    if (since >= YIELD_EVERY_CHARS) {
      since = 0;
      await breather();
    }
  }
  return ids;
}

const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8");

/** Counts of recently counted texts, per encoder: a program's instructions and demos repeat in every prompt it sends. */
const recent = new WeakMap<Tiktoken, { readonly counts: Map<string, number>; chars: number }>();
/** Characters of text kept with their counts, per encoder (about 2 MB); past it the memo starts over. */
const RECENT_MAX_CHARS = 1_000_000;
/** Shorter texts are counted again: a lookup would cost about as much. */
const RECENT_MIN_CHARS = 64;

/** Tokens in `text`: exact up to EXACT_MAX_CHARS (bar words longer than SLICE_CHARS), scaled from that prefix above. */
export async function countTokensWith(enc: Tiktoken, text: string): Promise<number> {
  if (text === "") return 0;
  if (text.length > EXACT_MAX_CHARS) return countScaled(enc, text);
  if (text.length < RECENT_MIN_CHARS) return (await encodeBounded(enc, text)).length;
  let memo = recent.get(enc);
  const known = memo?.counts.get(text);
  if (known !== undefined) return known;
  const count = (await encodeBounded(enc, text)).length;
  memo = recent.get(enc);
  if (memo === undefined || memo.chars + text.length > RECENT_MAX_CHARS) recent.set(enc, (memo = { counts: new Map(), chars: 0 }));
  memo.counts.set(text, count);
  memo.chars += text.length;
  return count;
}

async function countScaled(enc: Tiktoken, text: string): Promise<number> {
  let end = EXACT_MAX_CHARS;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end++;
  const prefix = text.slice(0, end);
  const counted = (await encodeBounded(enc, prefix)).length;
  return Math.max(1, Math.ceil((counted * utf8Length(text)) / Math.max(1, utf8Length(prefix))));
}

/** Tokens in `text` with the shared encoder; see countTokensWith. */
export async function countTokens(text: string): Promise<number> {
  if (text === "") return 0;
  return countTokensWith(await loadEncoder(), text);
}

/** The longest prefix of `text` that fits in `maxTokens` tokens (counted as countTokensWith does). */
export async function truncateToTokens(enc: Tiktoken, text: string, maxTokens: number): Promise<string> {
  if (maxTokens <= 0) return "";
  // No piece reaches the BPE longer than SLICE_CHARS, so every 64 characters hold a few tokens:
  // a prefix of that many characters per token is all that can fit.
  let end = Math.min(text.length, (maxTokens + 1) * 64);
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end++;
  const head = text.slice(0, end);
  const ids = await encodeBounded(enc, head);
  if (ids.length <= maxTokens && head.length === text.length) return text;
  return enc.decode(ids.slice(0, maxTokens));
}
