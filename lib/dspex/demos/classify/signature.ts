import { z } from "zod";
import { defineSignature, t } from "../../signatures";

export const TICKET_CATEGORIES = Object.freeze({
  billing: "Money matters: charges, invoices, refunds, payments, how to pay, prices, plans and subscriptions.",
  bug: "Broken behaviour: errors, crashes, freezes, wrong results, or pages that fail to load.",
  feature_request: "A request to add something new: a feature, an option, an integration or an improvement idea.",
  account_access: "Cannot log in or sign in: login links, passwords, two-factor codes, locked accounts, invitations.",
  other: "Anything else: general questions, feedback, praise, or none of the above.",
} as const);

export type TicketCategory = keyof typeof TICKET_CATEGORIES;
const CATEGORY_VALUES = Object.keys(TICKET_CATEGORIES) as [TicketCategory, ...TicketCategory[]];

export const classifySignature = defineSignature({
  instructions: "Classify the support ticket.",
  inputs: { ticket: z.string().describe("A customer's support ticket.") },
  outputs: { category: t.labels(TICKET_CATEGORIES) },
});

export const ClassifyInputsSchema = z.object({ ticket: z.string().min(1) });
export const ClassifyOutputsSchema = z.object({ category: z.enum(CATEGORY_VALUES) });
export type ClassifyInputs = z.infer<typeof ClassifyInputsSchema>;
export type ClassifyOutputs = z.infer<typeof ClassifyOutputsSchema>;
