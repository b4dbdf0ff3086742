// The routing family's words: six support queues, how a ticket about each is phrased (plainly,
// misspelled, in jargon), the five traps that make a reader route a ticket to the wrong queue, and
// the rules an instruction states to avoid each trap. The generator (lib/dspex/demos/routing)
// writes tickets from these tables and the demo model reads them back with the same tables.
// Every number and word here is documented in README.md ("The routing family").

export const ROUTING_LABELS = Object.freeze({
  billing: "Charges, invoices, payments, prices and subscriptions.",
  technical: "The product misbehaves: errors, crashes, pages or features that do not work.",
  account: "Signing in: passwords, login links, two-factor codes, locked or shared accounts.",
  shipping: "Deliveries: parcels in transit, late or lost, tracking, couriers, addresses.",
  returns: "Sending an item back: returns, exchanges, wrong or damaged items.",
  feedback: "Opinions and ideas: praise, complaints about the experience, suggestions.",
} as const);

export type RoutingLabel = keyof typeof ROUTING_LABELS;
export const ROUTING_LABEL_NAMES = Object.keys(ROUTING_LABELS) as RoutingLabel[];

/** How a ticket states its issue: plain phrases, the same with a misspelled key word, and jargon. */
interface Phrasing {
  readonly plain: readonly string[];
  readonly typo: readonly string[];
  readonly jargon: readonly string[];
  /** A short noun phrase naming the queue's kind of issue ("a charge on my card"). */
  readonly noun: readonly string[];
}

export const ROUTING_PHRASES: Readonly<Record<RoutingLabel, Phrasing>> = Object.freeze({
  billing: {
    plain: ["I was charged twice for my subscription", "my invoice shows the wrong amount", "the payment for my plan failed", "I need a copy of last month's invoice"],
    typo: ["I was chraged twice for my subscripton", "my invocie shows the wrong amount", "the paymnet for my plan failed", "I need a copy of last month's invioce"],
    jargon: ["there is a chargeback dispute on my account", "the proration on my upgrade looks off", "my dunning emails keep coming", "the ARR tier was applied to my seat"],
    noun: ["a charge on my card", "an invoice", "a payment"],
  },
  technical: {
    plain: ["the app crashes when I open settings", "I get an error message when I save", "the dashboard page will not load", "sync stopped working yesterday"],
    typo: ["the app crashs when I open setings", "I get an eror mesage when I save", "the dashbord page will not laod", "sync stoped working yesterday"],
    jargon: ["every save returns a 500 status", "I see a stack trace after the update", "the websocket keeps dropping", "there is a null pointer in the export"],
    noun: ["an app crash", "an error message", "a page that would not load"],
  },
  account: {
    plain: ["I cannot log in to my account", "the password reset link does not work", "my two-factor code is rejected", "my account is locked"],
    typo: ["I cannot lgo in to my acount", "the pasword reset link does not work", "my two-facter code is rejected", "my acount is lockd"],
    jargon: ["SSO fails with my identity provider", "my MFA token is out of sync", "the OAuth consent screen loops", "SAML assertions are rejected"],
    noun: ["a login problem", "a password reset", "a locked account"],
  },
  shipping: {
    plain: ["my package has not arrived", "the tracking number shows no updates", "the courier left my parcel at the wrong address", "my delivery is two weeks late"],
    typo: ["my pakage has not arived", "the traking number shows no updates", "the couier left my parcel at the wrong adress", "my delivry is two weeks late"],
    jargon: ["the parcel is stuck in a customs hold", "the last-mile carrier marked it undeliverable", "the consignment shows an exception scan", "the waybill was never manifested"],
    noun: ["a late parcel", "a tracking number", "a delivery"],
  },
  returns: {
    plain: ["I want to return the jacket I bought", "I need to exchange the shoes for a bigger size", "the item arrived damaged and I want to send it back", "I received the wrong item and want a replacement"],
    typo: ["I want to retrun the jacket I bought", "I need to exchnage the shoes for a bigger size", "the item arrived damagd and I want to send it bak", "I recieved the wrong item and want a replacment"],
    jargon: ["I need an RMA for the blender", "what is the restocking fee on my order", "I want a cross-ship for the faulty unit", "the reverse logistics label expired"],
    noun: ["a return", "an exchange", "a damaged item"],
  },
  feedback: {
    plain: ["I love the new design", "I have a suggestion for the search page", "your support team was great", "it would be nice to have a dark mode"],
    typo: ["I love the new desing", "I have a sugestion for the search page", "your suport team was great", "it would be nice to have a drak mode"],
    jargon: ["kudos on the redesign, my NPS just went up", "the onboarding UX is delightful", "a feature flag for dark mode would be a quick win", "the roadmap looks solid"],
    noun: ["praise for the design", "a suggestion", "an idea"],
  },
});

/** The ways a ticket misleads; "none" is a plain ticket. */
export const ROUTING_TRAPS = ["none", "negation", "earlier", "typo", "jargon", "forwarded"] as const;
export type RoutingTrap = (typeof ROUTING_TRAPS)[number];

/** How often each trap occurs in generated data. */
export const TRAP_SHARES: Readonly<Record<RoutingTrap, number>> = Object.freeze({ none: 0.3, negation: 0.15, earlier: 0.15, typo: 0.1, jargon: 0.15, forwarded: 0.15 });

/**
 * An instruction addresses a trap when it matches the trap's rule pattern. The rule sentences
 * are what the demo model writes when it proposes an instruction that addresses the trap.
 */
export const TRAP_RULES: Readonly<Record<Exclude<RoutingTrap, "none">, { readonly pattern: RegExp; readonly sentence: string }>> = Object.freeze({
  negation: { pattern: /\b(negat\w*|rules? out|ruled out|not about)\b/i, sentence: "When the writer says the ticket is not about something, that queue is ruled out." },
  earlier: { pattern: /\b(current|present|latest) (issue|problem|request)\b|\bearlier (issue|event|problem)s?\b/i, sentence: "Route by the current issue, not by an earlier problem the writer mentions in passing." },
  typo: { pattern: /\b(typos?|misspell\w*|spelling)\b/i, sentence: "Read through typos and misspellings: a misspelled word still names its topic." },
  jargon: { pattern: /\b(jargon|synonyms?|technical terms?|trade terms?)\b/i, sentence: "Map jargon and technical terms to the plain issue they stand for." },
  forwarded: { pattern: /\b(colleague|on behalf|someone else|writer'?s own)\b/i, sentence: "Route by the writer's own issue, not by a colleague's ticket they mention." },
});

/** The id every routing ticket starts with: how the demo model recognises the family. */
export const TICKET_PREFIX = /^Ticket R-(\d{4}):\s*/;
