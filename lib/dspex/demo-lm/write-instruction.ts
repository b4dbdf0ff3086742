// Writes instructions (for optimizers that ask the model to propose them) and advice text. The
// wording is drawn from the rollout, so proposals differ: some carry the task's cue words, some
// do not. Cue words already present in what the model was shown are more likely to be kept.
import { TASK_CUES, type DemoTaskKind } from "./competence";
import { TRAP_RULES, type RoutingTrap } from "./routing-lexicon";
import { readTicket } from "./routing-tickets";
import type { Draws } from "./seeded-hash";

const ROUTING_OPENINGS = ["Route the support ticket to the right queue.", "Read the ticket and pick the queue that handles it.", "Classify the ticket into one of the support queues."];

/** Probabilities that a proposal states a trap's rule: seen failing, seen only, not seen. */
export const RULE_KEEP = Object.freeze({ failing: 0.85, seen: 0.2, unseen: 0.04 });

const FAILURE = /falls short|incorrect|\bwrong\b|score: 0(?:\.0+)?\b|not correct/i;
const TICKET = /Ticket R-\d{4}:[^\n"]*/g;

/**
 * The rule sentences a proposal about routing tickets states, or undefined when no ticket is
 * shown. Traps of tickets shown failing (followed by failure feedback, or in a lower-reward run)
 * are stated most often, traps only seen less often, others rarely.
 */
function routingRules(inputs: Readonly<Record<string, string>>, draws: Draws): string[] | undefined {
  const failing = new Set<RoutingTrap>();
  const seen = new Set<RoutingTrap>();
  for (const [name, value] of Object.entries(inputs)) {
    const matches = [...value.matchAll(TICKET)];
    matches.forEach((m, i) => {
      const reading = readTicket(m[0]);
      if (!reading) return;
      seen.add(reading.trap);
      const next = matches[i + 1]?.index ?? value.length;
      const after = value.slice(m.index! + m[0].length, Math.min(next, m.index! + m[0].length + 600));
      if (/worse/i.test(name) || FAILURE.test(after)) failing.add(reading.trap);
    });
  }
  if (seen.size === 0) return undefined;
  return (Object.keys(TRAP_RULES) as Exclude<RoutingTrap, "none">[]).flatMap((trap) => {
    const keep = failing.has(trap) ? RULE_KEEP.failing : seen.has(trap) ? RULE_KEEP.seen : RULE_KEEP.unseen;
    return draws.next() < keep ? [TRAP_RULES[trap].sentence] : [];
  });
}

const TASK_SIGNALS: Readonly<Record<DemoTaskKind, RegExp>> = {
  arithmetic: /\b(arithmetic|word problems?|math|problem)\b/gi,
  qa: /\b(context|passage|question)\b/gi,
  classify: /\b(tickets?|categor(y|ies)|classif\w*|labels?)\b/gi,
};

const TASK_WORDS: Readonly<Record<DemoTaskKind | "other", { subject: string; goal: string }>> = {
  arithmetic: { subject: "word problem", goal: "the final numeric answer" },
  qa: { subject: "question and its context", goal: "a short answer" },
  classify: { subject: "support ticket", goal: "its category" },
  other: { subject: "inputs", goal: "the requested outputs" },
};

/** One sentence per cue word: a proposal that includes it earns the task's cue bonus. */
const CUE_SENTENCES: Readonly<Record<DemoTaskKind, readonly string[]>> = {
  arithmetic: ["Work through it step by step.", "Apply every operation in the order given.", "The result is a whole number."],
  qa: ["Quote the exact words that answer it.", "Answer with a short span, not a sentence.", "Use only the passage."],
  classify: ["Compare the ticket with each label's description.", "Pick a single category.", "Choose the closest label when unsure."],
};

const FILLERS: readonly string[] = [
  "Be concise.",
  "Do not add commentary.",
  "Keep the reply brief.",
  "Think about what is being asked.",
  "Stay on topic.",
];

const OPENINGS: readonly ((subject: string, goal: string) => string)[] = [
  (s, g) => `Read the ${s} and give ${g}.`,
  (s, g) => `You are given a ${s}. Respond with ${g}.`,
  (s, g) => `Given the ${s}, produce ${g}.`,
  (s, g) => `Your job is to turn the ${s} into ${g}.`,
];

/** The bundled task the shown text is most about, if any. */
export function guessTask(text: string): DemoTaskKind | undefined {
  let best: DemoTaskKind | undefined;
  let bestCount = 0;
  for (const task of Object.keys(TASK_SIGNALS) as DemoTaskKind[]) {
    const count = text.match(TASK_SIGNALS[task])?.length ?? 0;
    if (count > bestCount) [best, bestCount] = [task, count];
  }
  return best;
}

/** Probability that a cue sentence is included: higher when the shown text already uses the cue. */
export const CUE_KEEP_SHOWN = 0.8;
export const CUE_KEEP_UNSHOWN = 0.35;

function cueSentences(task: DemoTaskKind | undefined, shown: string, draws: Draws): string[] {
  if (!task) return [];
  return TASK_CUES[task].flatMap((cue, i) => {
    const keep = new RegExp(`\\b${cue.replace(/ /g, "\\s+")}`, "i").test(shown) ? CUE_KEEP_SHOWN : CUE_KEEP_UNSHOWN;
    return draws.next() < keep ? [CUE_SENTENCES[task][i]!] : [];
  });
}

/** A tip or earlier instruction shown in the inputs, by field name. */
function shownField(inputs: Readonly<Record<string, string>>, pattern: RegExp): string | undefined {
  const entry = Object.entries(inputs).find(([k, v]) => pattern.test(k) && v.trim() !== "");
  return entry?.[1].trim();
}

export function writeInstruction(inputs: Readonly<Record<string, string>>, draws: Draws): string {
  const routing = routingRules(inputs, draws);
  if (routing) {
    const previous = shownField(inputs, /instruction/i);
    const tip = shownField(inputs, /\btip\b|_tip$|^tip/i);
    const opening = previous && draws.next() < 0.5 ? previous : draws.pick(ROUTING_OPENINGS);
    const rules = routing.filter((r) => !opening.includes(r));
    const sentences = [opening, ...rules];
    if (draws.next() < 0.3) sentences.push(draws.pick(FILLERS));
    if (tip) sentences.push(tip.endsWith(".") ? tip : `${tip}.`);
    return sentences.join(" ");
  }
  const shown = Object.values(inputs).join("\n");
  const task = guessTask(shown);
  const words = TASK_WORDS[task ?? "other"];
  const previous = shownField(inputs, /instruction/i);
  const tip = shownField(inputs, /\btip\b|_tip$|^tip/i);
  const opening = previous && draws.next() < 0.5 ? previous : draws.pick(OPENINGS)(words.subject, words.goal);
  const sentences = [opening, ...cueSentences(task, shown, draws)];
  if (draws.next() < 0.5) sentences.push(draws.pick(FILLERS));
  if (tip) sentences.push(tip.endsWith(".") ? tip : `${tip}.`);
  return sentences.join(" ");
}

export function writeAdvice(inputs: Readonly<Record<string, string>>, draws: Draws): string {
  const routing = routingRules(inputs, draws);
  if (routing) return `To do better: ${routing.length ? routing.join(" ") : draws.pick(FILLERS)}`;
  const shown = Object.values(inputs).join("\n");
  const task = guessTask(shown);
  const cues = cueSentences(task, shown, draws);
  const parts = cues.length > 0 ? cues : [draws.pick(FILLERS)];
  return `To do better: ${parts.join(" ")}`;
}
