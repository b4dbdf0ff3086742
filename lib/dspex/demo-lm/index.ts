// The offline demo model: answers DSPEx programs without an API key. See README.md for exactly
// how it decides.
export { createDemoLM, DEMO_PROVIDER } from "./create-demo-lm";
export type { DemoLMOptions, DemoClock, DemoSleep, DemoLatency } from "./options";
export { DEMO_MODELS, DEFAULT_DEMO_MODEL, isDemoModel, demoModelProfile, type DemoModelProfile } from "./models";
export { COMPETENCE, TASK_CUES, competence, cuesIn, type Competence, type CompetenceInput, type DemoTaskKind } from "./competence";
export { explainDemoReply, type DemoExplanation } from "./explain";
export { ROUTING_COMPETENCE, routingCompetence, trapsAddressed, tallyDemos, type RoutingCompetenceInput, type DemoTally } from "./solve-routing";
export { ROUTING_LABELS, ROUTING_LABEL_NAMES, ROUTING_PHRASES, ROUTING_TRAPS, TRAP_SHARES, TRAP_RULES, type RoutingLabel, type RoutingTrap } from "./routing-lexicon";
export { readTicket, writeTicket, NEAR_QUEUE, type TicketReading, type TicketSpec } from "./routing-tickets";
export { RULE_KEEP } from "./write-instruction";
