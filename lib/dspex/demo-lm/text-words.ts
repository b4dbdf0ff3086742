// Word-level helpers shared by the solvers: lower-cased words, a short stop-word list and a crude
// suffix-stripping stem, so "charged" and "charges" meet at "charg".

const STOP_WORDS = new Set(
  (
    "a an the and or but if of to in on at by for with from into onto over under about as is are was were be been being " +
    "do does did done has have had having it its this that these those there here what which who whom whose when where why how " +
    "i me my we our you your he him his she her they them their can could should would will shall may might must not no yes " +
    "so than then too very just also any all each some such only own same other more most much many s cannot " +
    "through across after before between during without within via per both either instead rather therefore thus hence"
  ).split(" "),
);

/** Lower-cased words and numbers of a text, in order (keeps dots inside tokens such as "./data"). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9][a-z0-9_./-]*[a-z0-9]|[a-z0-9]/g) ?? [];
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * Strips one common English suffix ("ies" becomes "y"; "ing", "ed", "s", "ly" go), then a final
 * "e", then one of a doubled final consonant: enough for "charge", "charges" and "charged" to meet
 * at "charg" and "run" and "running" at "run". Not a real stemmer.
 */
export function stem(word: string): string {
  if (/\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3) {
    const suffix = ["ing", "ed", "ly", "s"].find((s) => w.endsWith(s) && !w.endsWith("ss") && w.length - s.length >= 3);
    if (suffix) w = w.slice(0, -suffix.length);
  }
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  // "running" -> "runn" -> "run", and "add" / "adding" both -> "ad"
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|ff|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** The stems of a text's content words (stop words dropped). */
export function contentStems(text: string): string[] {
  return words(text)
    .filter((w) => !isStopWord(w))
    .map(stem);
}

/** Splits a passage into sentences (ends at . ! ? followed by space or the end). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Cuts a text to at most `max` words, adding nothing. */
export function firstWords(text: string, max: number): string {
  const parts = text.trim().split(/\s+/);
  return parts.slice(0, max).join(" ");
}
