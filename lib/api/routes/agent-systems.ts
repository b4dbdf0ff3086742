import {
  AgentSystemReplySchema,
  CallAgentSystemBodySchema,
  DeclaredAgentSystemListSchema,
  DeclaredAgentSystemParamsSchema,
  DeclaredAgentSystemSchema,
  ScaleAgentSystemBodySchema,
  type CallAgentSystemBody,
  type ScaleAgentSystemBody,
} from "../../schemas";
import { route } from "./define";

const common = { tag: "agent-systems", auth: true } as const;
const control = { ...common, method: "POST", params: DeclaredAgentSystemParamsSchema } as const;
const systemReply = { status: 200, name: "DeclaredAgentSystem", schema: DeclaredAgentSystemSchema, description: "The agent system as it is now." } as const;

export const agentSystemsRoutes = {
  listDeclaredAgentSystems: route({
    ...common,
    method: "GET",
    path: "/api/v1/agent-systems",
    operationId: "listDeclaredAgentSystems",
    summary: "Declared agent systems",
    description:
      "The agent systems of the programs folder (files that default-export defineAgentSystem), started at boot: state, groups with their agent counts and capabilities, and agents (state, node, messages processed, restarts). Files that declare a system but could not be loaded are listed in loadErrors.",
    success: { status: 200, name: "DeclaredAgentSystemList", schema: DeclaredAgentSystemListSchema, description: "Every declared agent system." },
    errors: [],
  }),
  getDeclaredAgentSystem: route({
    ...common,
    method: "GET",
    path: "/api/v1/agent-systems/{name}",
    params: DeclaredAgentSystemParamsSchema,
    operationId: "getDeclaredAgentSystem",
    summary: "A declared agent system",
    success: systemReply,
    errors: ["NOT_FOUND"],
  }),
  callAgentSystem: route({
    ...control,
    path: "/api/v1/agent-systems/{name}/call",
    operationId: "callAgentSystem",
    summary: "Call an agent system",
    description:
      "Sends `input` to the system's entry (a group or a capability; the least loaded capable agent takes it) and answers with the reply. Needs the predict scope. An entry that is an action answers { ok, value } or { ok: false, error } (a disabled action's error names it).",
    body: { name: "CallAgentSystemBody", schema: CallAgentSystemBodySchema, example: { input: { title: "Agents beyond one process" }, timeoutMs: 10_000 } satisfies CallAgentSystemBody, limit: "single" },
    success: { status: 200, name: "AgentSystemReply", schema: AgentSystemReplySchema, description: "The entry's reply." },
    errors: ["NOT_FOUND", "CONFLICT", "TIMEOUT", "OVERLOADED", "RUN_FAILED"],
  }),
  scaleAgentSystem: route({
    ...control,
    path: "/api/v1/agent-systems/{name}/scale",
    operationId: "scaleAgentSystem",
    summary: "Scale a group of an agent system",
    description: "Starts or stops agents so the group has `count` of them (the highest numbers stop first). Needs the manage scope.",
    body: { name: "ScaleAgentSystemBody", schema: ScaleAgentSystemBodySchema, example: { group: "clerk", count: 3 } satisfies ScaleAgentSystemBody, limit: "single" },
    success: systemReply,
    errors: ["NOT_FOUND"],
  }),
  stopAgentSystem: route({
    ...control,
    path: "/api/v1/agent-systems/{name}/stop",
    operationId: "stopAgentSystem",
    summary: "Stop an agent system",
    description: "Stops every agent of the system (their mailboxes' messages fail with AGENT_STOPPED); calls are refused with CONFLICT until it is restarted. Its group counts are kept. Needs the manage scope.",
    success: systemReply,
    errors: ["NOT_FOUND"],
  }),
  restartAgentSystem: route({
    ...control,
    path: "/api/v1/agent-systems/{name}/restart",
    operationId: "restartAgentSystem",
    summary: "Restart an agent system",
    description: "Stops the system if it runs and starts it again with its current group counts (also after it failed). Needs the manage scope.",
    success: systemReply,
    errors: ["NOT_FOUND"],
  }),
};
