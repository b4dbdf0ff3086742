import { createMemoryLedger } from ".";
import { describeLedgerContract } from "./testing";

describeLedgerContract("memory", () => createMemoryLedger());
