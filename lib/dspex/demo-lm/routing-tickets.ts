// Writing and reading routing tickets. A ticket is "Ticket R-1234: " and one sentence built from a
// template per trap, then sometimes a closing sentence. Reading recovers the queue the ticket is
// really about, its trap, and the queue a misled reader would pick.
import { ROUTING_LABEL_NAMES, ROUTING_PHRASES, TICKET_PREFIX, type RoutingLabel, type RoutingTrap } from "./routing-lexicon";

/** Where plain tickets and jargon are misrouted; typos send a ticket to the catch-all queue. */
export const NEAR_QUEUE: Readonly<Record<RoutingLabel, RoutingLabel>> = Object.freeze({
  billing: "returns",
  technical: "account",
  account: "technical",
  shipping: "returns",
  returns: "shipping",
  feedback: "technical",
});

const CLOSINGS = ["", "", " Thanks.", " Please help.", " Any update would be appreciated.", " This is urgent."];

export interface TicketSpec {
  readonly number: number;
  readonly label: RoutingLabel;
  readonly trap: RoutingTrap;
  /** The queue named as a distraction (negation, earlier, forwarded). */
  readonly distractor: RoutingLabel;
  /** Which phrase of the tables (taken modulo their length). */
  readonly phrase: number;
  readonly closing: number;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const at = <T>(items: readonly T[], i: number): T => items[((i % items.length) + items.length) % items.length]!;

/** The ticket text for a spec. */
export function writeTicket(spec: TicketSpec): string {
  const own = ROUTING_PHRASES[spec.label];
  const other = ROUTING_PHRASES[spec.distractor];
  const t = at(own.plain, spec.phrase);
  let body: string;
  switch (spec.trap) {
    case "none":
      body = `${capital(t)}.`;
      break;
    case "negation":
      body = `This is not about ${at(other.noun, spec.phrase)}: ${t}.`;
      break;
    case "earlier":
      body = `${capital(at(other.plain, spec.phrase + 1))} last month, which was sorted out, but now ${t}.`;
      break;
    case "typo":
      body = `${capital(at(own.typo, spec.phrase))}.`;
      break;
    case "jargon":
      body = `${capital(at(own.jargon, spec.phrase))}.`;
      break;
    case "forwarded":
      body = `My colleague's ticket was about ${at(other.noun, spec.phrase)}; mine is that ${t}.`;
      break;
  }
  return `Ticket R-${String(spec.number).padStart(4, "0")}: ${body}${at(CLOSINGS, spec.closing)}`;
}

export interface TicketReading {
  readonly label: RoutingLabel;
  readonly trap: RoutingTrap;
  /** The queue a reader misled by the trap picks. */
  readonly misroute: RoutingLabel;
}

type Table = "plain" | "typo" | "jargon" | "noun";

function lookup(text: string, tables: readonly Table[]): RoutingLabel | undefined {
  const wanted = text.trim().toLowerCase();
  for (const label of ROUTING_LABEL_NAMES) {
    for (const table of tables) if (ROUTING_PHRASES[label][table].some((p) => p.toLowerCase() === wanted)) return label;
  }
  return undefined;
}

/** Reads a routing ticket; undefined for any other text. */
export function readTicket(text: string): TicketReading | undefined {
  const prefix = TICKET_PREFIX.exec(text.trim());
  if (!prefix) return undefined;
  const rest = text.trim().slice(prefix[0].length);
  const negation = /^This is not about (.+?): (.+?)\.(?:\s|$)/.exec(rest);
  if (negation) {
    const [label, other] = [lookup(negation[2]!, ["plain"]), lookup(negation[1]!, ["noun"])];
    return label && other ? { label, trap: "negation", misroute: other } : undefined;
  }
  const earlier = /^(.+?) last month, which was sorted out, but now (.+?)\.(?:\s|$)/.exec(rest);
  if (earlier) {
    const [label, other] = [lookup(earlier[2]!, ["plain"]), lookup(earlier[1]!, ["plain"])];
    return label && other ? { label, trap: "earlier", misroute: other } : undefined;
  }
  const forwarded = /^My colleague's ticket was about (.+?); mine is that (.+?)\.(?:\s|$)/.exec(rest);
  if (forwarded) {
    const [label, other] = [lookup(forwarded[2]!, ["plain"]), lookup(forwarded[1]!, ["noun"])];
    return label && other ? { label, trap: "forwarded", misroute: other } : undefined;
  }
  const sentence = /^(.+?)\.(?:\s|$)/.exec(rest)?.[1] ?? rest;
  const plain = lookup(sentence, ["plain"]);
  if (plain) return { label: plain, trap: "none", misroute: NEAR_QUEUE[plain] };
  const typo = lookup(sentence, ["typo"]);
  if (typo) return { label: typo, trap: "typo", misroute: typo === "feedback" ? "technical" : "feedback" };
  const jargon = lookup(sentence, ["jargon"]);
  if (jargon) return { label: jargon, trap: "jargon", misroute: NEAR_QUEUE[jargon] };
  return undefined;
}

/** The first routing ticket among some texts (a request's input values). */
export function findTicket(values: readonly string[]): { text: string; reading: TicketReading } | undefined {
  for (const text of values) {
    const reading = readTicket(text);
    if (reading) return { text, reading };
  }
  return undefined;
}
