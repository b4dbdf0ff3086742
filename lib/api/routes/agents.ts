import { AgentSystemDetailSchema, AgentSystemPageSchema, AgentSystemParamsSchema, DemoTeamJobParamsSchema, DemoTeamJobSchema, DemoTeamLaunchSchema, PageQuerySchema, RunDemoTeamBodySchema, type RunDemoTeamBody } from "../../schemas";
import { route } from "./define";

const common = { tag: "agents", auth: true } as const;

export const agentsRoutes = {
  runDemoTeam: route({
    ...common,
    method: "POST",
    path: "/api/v1/agents/demo-team",
    operationId: "runDemoTeam",
    summary: "Run the demo team",
    description:
      "Queues the demo team: a coder and a reviewer agent iterate on bundled programming tasks (default all eight) until the reviewer approves or maxRounds is reached; hidden tests run in a QuickJS sandbox. Its agents stream agent:state events with systemId \"demo-team:<jobId>\".",
    body: { name: "RunDemoTeamBody", schema: RunDemoTeamBodySchema, example: { tasks: ["fizzbuzz", "clamp"], maxRounds: 4 } satisfies RunDemoTeamBody, limit: "single" },
    success: { status: 201, name: "DemoTeamLaunch", schema: DemoTeamLaunchSchema, description: "The queued job and the systemId its agents report under." },
    errors: ["QUEUE_UNAVAILABLE"],
  }),
  getDemoTeamJob: route({
    ...common,
    method: "GET",
    path: "/api/v1/agents/demo-team/{jobId}",
    params: DemoTeamJobParamsSchema,
    operationId: "getDemoTeamJob",
    summary: "A demo-team run: status, progress and summary",
    description: "The job's status, its latest round (progress) and, once it completed, a summary per task: approved, rounds, hidden tests passed and the final code.",
    success: { status: 200, name: "DemoTeamJob", schema: DemoTeamJobSchema, description: "The demo-team job." },
    errors: ["NOT_FOUND", "QUEUE_UNAVAILABLE"],
  }),
  listAgentSystems: route({
    ...common,
    method: "GET",
    path: "/api/v1/agents/systems",
    query: PageQuerySchema,
    operationId: "listAgentSystems",
    summary: "Agent systems",
    description: "The agents of the Agent table grouped by systemId, most recently updated first: agents, agents per state, messages processed, restarts, mailbox depth and last update.",
    success: { status: 200, name: "AgentSystemPage", schema: AgentSystemPageSchema, description: "One page of agent systems." },
    errors: [],
  }),
  getAgentSystem: route({
    ...common,
    method: "GET",
    path: "/api/v1/agents/systems/{systemId}",
    params: AgentSystemParamsSchema,
    query: PageQuerySchema,
    operationId: "getAgentSystem",
    summary: "An agent system: its agents and their state changes",
    description: "The system's agents (state, mailbox depth, processed, restarts, last error) and one page of their recorded state changes, newest first.",
    success: { status: 200, name: "AgentSystemDetail", schema: AgentSystemDetailSchema, description: "The agent system." },
    errors: ["NOT_FOUND"],
  }),
};
