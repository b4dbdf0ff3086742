// Label classification: each label scores the number of distinct content-word stems its name and
// description share with the text; the highest wins, ties go to the label listed first.
import type { DemoLabel } from "./field-lines";
import { contentStems } from "./text-words";

export interface ClassifyReading {
  readonly label: string;
  /** The runner-up: the typical confusion. */
  readonly confusable: string;
  /** No label scores more words than the runner-up (a tie, or no word matched at all). */
  readonly ambiguous: boolean;
  readonly scores: Readonly<Record<string, number>>;
}

const FALLBACK_LABELS = /^(other|none|unknown|misc|miscellaneous|neutral)$/i;

export function readLabels(text: string, labels: readonly DemoLabel[]): ClassifyReading | undefined {
  if (labels.length === 0) return undefined;
  const words = new Set(contentStems(text));
  const scored = labels.map((l, index) => {
    const cues = new Set(contentStems(`${l.value.replace(/[_-]+/g, " ")} ${l.description}`));
    return { value: l.value, index, score: [...cues].filter((c) => words.has(c)).length };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  let top = ranked[0]!;
  if (top.score === 0) top = scored.find((s) => FALLBACK_LABELS.test(s.value)) ?? top;
  const runnerUp = ranked.find((s) => s.value !== top.value);
  return {
    label: top.value,
    confusable: runnerUp?.value ?? top.value,
    ambiguous: runnerUp !== undefined && top.score - runnerUp.score < 1,
    scores: Object.fromEntries(scored.map((s) => [s.value, s.score])),
  };
}
