// The routing family as README.md documents it: tickets read back to what they were written from,
// the competence's parts, and proposals that address the traps they are shown failing.
import { describe, expect, it } from "vitest";
import { ChatAdapter } from "../adapters";
import { generateRoutingDataset, routingSignature } from "../demos";
import { evaluate } from "../evaluate";
import { Predict } from "../modules";
import { createDemoLM, demoModelProfile, explainDemoReply, readTicket, ROUTING_COMPETENCE, routingCompetence, ROUTING_TRAPS, TRAP_RULES, TRAP_SHARES, writeTicket, type RoutingTrap } from "./index";
import { drawsFrom } from "./seeded-hash";
import { writeAdvice, writeInstruction } from "./write-instruction";

const model = demoModelProfile("dspex-demo-1");
const demo = (ticket: string, queue: string) => ({ inputs: { ticket }, outputs: { queue } });
const ticketOf = (trap: RoutingTrap, n = 1, label: "billing" | "technical" = "technical") => writeTicket({ number: 1000 + n, label, trap, distractor: label === "billing" ? "technical" : "billing", phrase: n, closing: n });
const p = (trap: RoutingTrap, instructions: string, demos: ReturnType<typeof demo>[] = []) =>
  routingCompetence({ reading: readTicket(ticketOf(trap))!, instructions, demos, answerField: "queue", hasReasoning: false, temperature: 0, model }).p;

describe("the routing family", () => {
  it("reads every generated ticket back to its queue and trap; traps come in their documented shares, training labels are noisy", () => {
    const data = generateRoutingDataset({ seed: 3, train: 400, validation: 200, test: 400 });
    const counts = new Map<RoutingTrap, number>();
    for (const e of [...data.validation, ...data.test]) {
      const reading = readTicket(e.inputs.ticket)!;
      expect(reading.label).toBe(e.outputs.queue);
      counts.set(reading.trap, (counts.get(reading.trap) ?? 0) + 1);
    }
    for (const trap of ROUTING_TRAPS) expect(Math.abs(counts.get(trap)! / 600 - TRAP_SHARES[trap])).toBeLessThan(0.05);
    const wrong = data.train.filter((e) => readTicket(e.inputs.ticket)!.label !== e.outputs.queue).length;
    expect(wrong / 400).toBeGreaterThan(0.06);
    expect(wrong / 400).toBeLessThan(0.14);
    expect(new Set([...data.train, ...data.validation, ...data.test].map((e) => e.id)).size).toBe(1000);
  });

  it("adds a rule's bonus only to tickets with that trap, diluted as more traps are addressed", () => {
    const c = ROUTING_COMPETENCE;
    const one = TRAP_RULES.negation.sentence;
    expect(p("negation", one) - p("negation", "")).toBeCloseTo(c.ruleBonus);
    expect(p("earlier", one)).toBeCloseTo(p("earlier", ""));
    const all = Object.values(TRAP_RULES).map((r) => r.sentence).join(" ");
    expect(p("negation", all) - p("negation", "")).toBeCloseTo(c.ruleBonus / (1 + c.ruleDilution * 4));
    expect(p("none", all)).toBeCloseTo(p("none", ""));
  });

  it("helps most with correct demos of the ticket's own trap, a little with other correct ones, and hurts with wrong ones", () => {
    const relevant = demo(ticketOf("negation", 2), "technical");
    const other = demo(ticketOf("jargon", 3), "technical");
    const wrong = demo(ticketOf("negation", 4), "billing");
    const base = p("negation", "");
    expect(p("negation", "", [relevant]) - base).toBeCloseTo(ROUTING_COMPETENCE.relevantMax * 0.5);
    expect(p("negation", "", [other]) - base).toBeCloseTo(ROUTING_COMPETENCE.otherMax * 0.4);
    expect(p("negation", "", [wrong]) - base).toBeCloseTo(-ROUTING_COMPETENCE.wrongDemo);
    // Diminishing returns: a second relevant demo adds half as much as the first.
    const two = p("negation", "", [relevant, demo(ticketOf("negation", 5), "technical")]);
    expect(two - base).toBeCloseTo(ROUTING_COMPETENCE.relevantMax * 0.75);
    // Only the first eight demos are read.
    const nine = [...Array(8).fill(other), relevant];
    expect(p("negation", "", nine)).toBeCloseTo(p("negation", "", nine.slice(0, 8)));
  });

  it("is recognised through the chat adapter and answered with the trap's misroute when wrong", async () => {
    const ticket = ticketOf("forwarded", 7);
    const call = new ChatAdapter().format(routingSignature, { instructions: routingSignature.instructions, demos: [] }, { ticket });
    const explained = explainDemoReply({ messages: call.messages, model: "dspex-demo-1" }, { seed: 1 });
    expect(explained.task).toBe("routing");
    expect(explained.competence!.base).toBe(ROUTING_COMPETENCE.base.forwarded);
    expect(["technical", "billing"]).toContain(explained.values.queue);
    expect(explained.values.queue).toBe(explained.correct ? "technical" : "billing");
    const data = generateRoutingDataset({ seed: 1, train: 0, validation: 0, test: 120 });
    const score = (m: string) => evaluate(new Predict(routingSignature, { settings: { model: m } }), data.test, (e, o) => (o.queue === e.outputs.queue ? 1 : 0), { lm: createDemoLM({ seed: 1 }) });
    const [mini, large] = [await score("dspex-demo-mini"), await score("dspex-demo-large")];
    expect(large.mean).toBeGreaterThan(mini.mean);
  });

  it("proposes the rules of the traps it is shown failing far more often than others", () => {
    const failing = `# Example 1\n## Inputs\n### ticket\n${ticketOf("negation", 8)}\n## Generated outputs\n### queue\nbilling\n## Feedback\nScore: 0 (best possible: 1). This falls short of the expected outputs.`;
    const passing = `# Example 2\n## Inputs\n### ticket\n${ticketOf("jargon", 9)}\n## Generated outputs\n### queue\ntechnical\n## Feedback\nScore: 1 (best possible: 1). This is fully correct.`;
    let negation = 0;
    let jargon = 0;
    let typo = 0;
    for (let i = 0; i < 400; i++) {
      const text = writeInstruction({ current_instruction: "Route the ticket.", examples_with_feedback: `${failing}\n\n${passing}` }, drawsFrom("t", i));
      if (TRAP_RULES.negation.pattern.test(text)) negation++;
      if (TRAP_RULES.jargon.pattern.test(text)) jargon++;
      if (TRAP_RULES.typo.pattern.test(text)) typo++;
    }
    expect(negation / 400).toBeGreaterThan(0.75);
    expect(jargon / 400).toBeGreaterThan(0.1);
    expect(jargon / 400).toBeLessThan(0.3);
    expect(typo / 400).toBeLessThan(0.1);
    // Advice from a worse run names the failing trap too.
    const advice = writeAdvice({ worse_trajectory: JSON.stringify([{ inputs: { ticket: ticketOf("earlier", 10) } }]), better_trajectory: "[]" }, drawsFrom("a", 1));
    expect(advice.startsWith("To do better:")).toBe(true);
  });
});
