export { describeLedgerContract } from "./ledger-contract";
export { ask, clientFor, testPrices } from "./lm-fixtures";
export { expectNoOverspendUnderConcurrency } from "./budget-scenario";
export { maxInAnyWindow, perFixedWindow, type Arrival } from "./window-stats";
