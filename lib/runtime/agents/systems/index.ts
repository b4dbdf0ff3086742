// Declared agent systems: defined as data, started in this process or placed on a cluster.
export { defineAgentSystem, isAgentSystem, agentSlots, groupCounts, groupSkills, entryMessage, checkScale, resolveAgentSystem, hasReferences, DEFAULT_SYSTEM_FLAGS, type SkillLookup, type AgentSystemSpec, type AgentSystemDefinition, type AgentGroupSpec } from "./define-agent-system";
export { startAgentSystem, type RunningAgentSystem, type StartAgentSystemOptions, type CallOptions } from "./start-agent-system";
export { loadAgentSystems, type LoadedAgentSystem, type AgentSystemsLoad } from "./load-agent-systems";
export { startAgentSystems, type AgentSystemsService, type AgentSystemSummary, type AgentSystemAgent, type AgentSystemsServiceOptions } from "./agent-systems-service";
