export { ChildProbe, probeSet } from "./child-probe";
export { describeSupervisorContract, type SupervisorFactory } from "./supervisor-contract";
export { describeClockContract, type ClockUnderTest } from "./clock-contract";
