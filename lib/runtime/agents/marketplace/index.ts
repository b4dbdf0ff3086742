// The marketplace's machinery: what a skill package may do (permissions), where its actions run
// (a process of their own with only those permissions), and the gate every action passes.
export { governAction, createActionPolicy, type ActionPolicy, type ActionUsage, type ActionUsageSink, type Governance } from "./governance";
export { PermissionsSchema, NO_PERMISSIONS, hostAllowed, type ActionPermissions, type ActionPermissionsInput } from "./permissions";
export { ActionHost, type PackageDescription } from "./action-host";
export { createActionUsageTotals, type ActionTotals, type ActionUsageTotals } from "./usage-totals";
