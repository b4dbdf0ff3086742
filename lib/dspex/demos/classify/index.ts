export { classifyTask } from "./task";
export { classifySignature, TICKET_CATEGORIES, type TicketCategory, type ClassifyInputs, type ClassifyOutputs } from "./signature";
export { classifyMetric } from "./metric";
