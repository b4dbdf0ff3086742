// The routing family's competence: what the demo model's chance of routing one ticket right
// depends on. Every number here is documented in README.md ("The routing family").
import { COMPETENCE, type Competence } from "./competence";
import type { DemoModelProfile } from "./models";
import type { DemoPair } from "./read-request";
import { TRAP_RULES, type RoutingTrap } from "./routing-lexicon";
import { findTicket, type TicketReading } from "./routing-tickets";

export const ROUTING_COMPETENCE = Object.freeze({
  base: Object.freeze({ none: 0.85, negation: 0.35, earlier: 0.4, typo: 0.45, jargon: 0.4, forwarded: 0.4 } satisfies Record<RoutingTrap, number>),
  /** An instruction that addresses the ticket's trap adds RULE_BONUS / (1 + RULE_DILUTION * (rules addressed - 1)). */
  ruleBonus: 0.3,
  ruleDilution: 0.25,
  /** Correct demos with the ticket's own trap: RELEVANT_MAX * (1 - RELEVANT_DECAY^r). */
  relevantMax: 0.2,
  relevantDecay: 0.5,
  /** Other correct demos: OTHER_MAX * (1 - OTHER_DECAY^o). */
  otherMax: 0.05,
  otherDecay: 0.6,
  /** Each demo whose label is wrong for its ticket, up to WRONG_COUNT_MAX of them. */
  wrongDemo: 0.06,
  wrongCountMax: 4,
  /** Only the first DEMO_COUNT_MAX demos are read. */
  demoCountMax: 8,
  reasoning: 0.03,
});

/** The traps an instruction addresses (by the rule patterns). */
export function trapsAddressed(instructions: string): Exclude<RoutingTrap, "none">[] {
  return (Object.keys(TRAP_RULES) as Exclude<RoutingTrap, "none">[]).filter((trap) => TRAP_RULES[trap].pattern.test(instructions));
}

export interface DemoTally {
  /** Correct demos whose ticket has the same trap as the question's. */
  readonly relevant: number;
  /** Other correct demos. */
  readonly other: number;
  /** Demos labelled with a queue their ticket is not about. */
  readonly wrong: number;
}

/** Sorts a request's demos (the first DEMO_COUNT_MAX) by what they do for a ticket with this trap. */
export function tallyDemos(demos: readonly DemoPair[], answerField: string, trap: RoutingTrap): DemoTally {
  let relevant = 0;
  let other = 0;
  let wrong = 0;
  for (const demo of demos.slice(0, ROUTING_COMPETENCE.demoCountMax)) {
    const found = findTicket(Object.values(demo.inputs));
    if (!found) continue;
    const given = (demo.outputs[answerField] ?? "").trim();
    if (given !== found.reading.label) wrong++;
    else if (found.reading.trap === trap) relevant++;
    else other++;
  }
  return { relevant, other, wrong };
}

export interface RoutingCompetenceInput {
  readonly reading: TicketReading;
  readonly instructions: string;
  readonly demos: readonly DemoPair[];
  readonly answerField: string;
  readonly hasReasoning: boolean;
  readonly temperature: number;
  readonly model: DemoModelProfile;
}

/** p for one routing ticket, with its parts (cues = the rule bonus, demos = the net demo effect). */
export function routingCompetence(input: RoutingCompetenceInput): Competence {
  const c = ROUTING_COMPETENCE;
  const addressed = trapsAddressed(input.instructions);
  const trap = input.reading.trap;
  const rule = trap !== "none" && addressed.includes(trap) ? c.ruleBonus / (1 + c.ruleDilution * (addressed.length - 1)) : 0;
  const tally = tallyDemos(input.demos, input.answerField, trap);
  const demos = c.relevantMax * (1 - c.relevantDecay ** tally.relevant) + c.otherMax * (1 - c.otherDecay ** tally.other) - c.wrongDemo * Math.min(c.wrongCountMax, tally.wrong);
  const parts = {
    base: c.base[trap],
    model: input.model.competenceOffset,
    cues: rule,
    demos,
    reasoning: input.hasReasoning ? c.reasoning : 0,
    temperature: -COMPETENCE.temperatureSlope * Math.max(0, input.temperature - COMPETENCE.temperatureFree),
  };
  const sum = parts.base + parts.model + parts.cues + parts.demos + parts.reasoning + parts.temperature;
  return { ...parts, p: Math.min(COMPETENCE.max, Math.max(COMPETENCE.min, sum)), cuesFound: addressed };
}
