// Extractive question answering: the context sentence sharing the most content words with the
// question wins (each shared word weighs 1 / the number of sentences that contain it); the answer
// is the longest run of that sentence's words the question does not use.
import { contentStems, isStopWord, sentences, stem } from "./text-words";

export interface QaReading {
  readonly answer: string;
  /** A phrase from a neighbouring sentence: the typical wrong answer. */
  readonly neighbour: string;
  /** The best sentence's overlap barely beats (or ties) the runner-up's. */
  readonly ambiguous: boolean;
  readonly sentence: string;
  readonly overlap: number;
}

function core(token: string): string {
  return token.toLowerCase().replace(/^[^a-z0-9.]+|[^a-z0-9]+$/g, "");
}

/** The longest run of words in `sentence` whose stems are not in `question` (stop words trimmed from both ends). */
export function answerSpan(sentence: string, questionStems: ReadonlySet<string>): string {
  const tokens = sentence.split(/\s+/).filter((t) => t.length > 0);
  let best: string[] = [];
  let bestWeight = 0;
  let run: string[] = [];
  const close = () => {
    let from = 0;
    let to = run.length;
    while (from < to && (isStopWord(core(run[from]!)) || core(run[from]!) === "")) from++;
    while (to > from && (isStopWord(core(run[to - 1]!)) || core(run[to - 1]!) === "")) to--;
    const span = run.slice(from, to);
    const weight = span.filter((t) => !isStopWord(core(t))).length;
    if (weight > bestWeight) {
      best = span;
      bestWeight = weight;
    }
    run = [];
  };
  for (const token of tokens) {
    const c = core(token);
    if (c !== "" && !isStopWord(c) && questionStems.has(stem(c))) close();
    else {
      run.push(token);
      if (/[;:]$/.test(token)) close();
    }
  }
  close();
  return best.join(" ").replace(/^[("'`]+|[.,;:!?)"'`]+$/g, "");
}

/** The best sentence's weighted overlap must beat the runner-up's by this much not to be ambiguous. */
export const AMBIGUOUS_MARGIN = 1.5;

export function readQa(context: string, question: string): QaReading | undefined {
  const parts = sentences(context);
  if (parts.length === 0) return undefined;
  const q = new Set(contentStems(question));
  const stemsOf = parts.map((sentence) => new Set(contentStems(sentence)));
  const spread = (s: string) => stemsOf.filter((set) => set.has(s)).length;
  const scored = parts.map((sentence, index) => ({
    sentence,
    index,
    overlap: [...stemsOf[index]!].filter((s) => q.has(s)).reduce((sum, s) => sum + 1 / spread(s), 0),
  }));
  const ranked = [...scored].sort((a, b) => b.overlap - a.overlap || a.index - b.index);
  const top = ranked[0]!;
  const second = ranked[1];
  const answer = answerSpan(top.sentence, q) || top.sentence;
  const neighbours = [scored[top.index + 1], scored[top.index - 1], ...ranked.slice(1)].filter((s) => s !== undefined);
  const neighbour =
    neighbours.map((s) => answerSpan(s.sentence, q) || s.sentence).find((a) => a.toLowerCase() !== answer.toLowerCase()) ?? "";
  return {
    answer,
    neighbour,
    ambiguous: second !== undefined && top.overlap - second.overlap < AMBIGUOUS_MARGIN,
    sentence: top.sentence,
    overlap: top.overlap,
  };
}
