// Multi-agent execution: actions and skills, supervised agents with bounded mailboxes,
// teams routed by capability, coordination patterns, programs as agent systems, and one
// VariableSpace over a whole team. The only import path into lib/runtime/agents.
//
//   const sup = await startSupervisor({ flags: { intensity: 100 } });
//   const coder = await startAgent({ name: "coder", supervisor: sup, lm, role: { name: "coder", signature: "spec -> code" } });
//   const team = createTeam({ name: "dev" });
//   team.join(coder);
//   const { output } = await team.dispatch({ capability: "run", payload: { spec: "add two numbers" } });
//   // agents reach each other through a directory: ctx.ask("reviewer", msg), ctx.publish("news", x)
export { defineAction, performAction, type Action, type ActionContext, type ActionLimits } from "./action";
export { defineSkill, isSkill, isAction, type Skill, type SkillSpec, type MessageHandler } from "./skill";
export { loadSkillRegistry, type SkillRegistry, type SkillLoadError, type LoadSkillsOptions, type Registered, type RegisteredAction, type InstalledPackage, type SkillOrigin } from "./registry";
export { governAction, createActionPolicy, createActionUsageTotals, PermissionsSchema, type ActionTotals, type ActionUsageTotals, type ActionPolicy, type ActionUsage, type ActionUsageSink, type Governance, type ActionPermissions } from "./marketplace";
export { Mailbox, type MailboxOptions, type PutOptions } from "./mailbox";
export { startAgent, type Agent, type AgentOptions, type AgentStats, type AskOptions, type SendOptions } from "./agent";
export type { AgentContext, AgentMessage, AgentStateName, AgentStateEvent, MessageOptions, PublishAgentState, RoleSpec } from "./types";
export { createDirectory, type AgentDirectory, type LocalDirectory, type RouteOptions } from "./messaging/directory";
export type { Address } from "./messaging/address";
export type { TraceContext } from "./messaging/message-span";
export { AgentError, type AgentErrorCode } from "./errors";
export { createTeam, type Team, type TeamOptions, type TeamTask, type TaskResult, type DispatchOptions, type TeamStats, type TeamEvent, type InFlightTask } from "./team";
export { pipeline, type PipelineStage } from "./patterns/pipeline";
export { fanOut, type FanOutOptions, type Step } from "./patterns/supervisor-worker";
export { vote, debate, majority, type VoteOptions, type DebateOptions, type VoteResult, type Judge } from "./patterns/vote";
export { contractNet, type ContractNetOptions, type Bid } from "./patterns/contract-net";
export { toAgentSystem, type AgentSystem, type AgentSystemOptions, type AgentSystemStats } from "./agent-system";
export { teamProgram, TeamProgram, optimizeTeam, teamSpace, type TeamProgramSpec, type TeamMemberSpec, type RunningTeam, type OptimizeTeamOptions } from "./team-optimization";
export {
  defineAgentSystem,
  isAgentSystem,
  startAgentSystem,
  startAgentSystems,
  loadAgentSystems,
  agentSlots,
  groupCounts,
  groupSkills,
  resolveAgentSystem,
  entryMessage,
  type AgentSystemSpec,
  type AgentSystemDefinition,
  type AgentGroupSpec,
  type RunningAgentSystem,
  type StartAgentSystemOptions,
  type CallOptions,
  type AgentSystemsService,
  type AgentSystemSummary,
  type AgentSystemAgent,
  type LoadedAgentSystem,
} from "./systems";
export { startClusterNode, planPlacement, type ClusterNode, type ClusterNodeOptions, type ClusterNodeStats, type ClusterSystemStatus } from "./cluster";
