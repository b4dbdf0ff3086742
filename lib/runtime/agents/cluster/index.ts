// Agent systems across processes: nodes on one Redis, agents placed on them, mailboxes as Redis
// streams, a dead node's agents restarted on the others under the system's supervision rules.
export { startClusterNode, type ClusterNode, type ClusterNodeOptions, type ClusterNodeStats, type ClusterSystemStatus } from "./cluster-node";
export { planPlacement, type Plan, type PlanInput } from "./placement-plan";
