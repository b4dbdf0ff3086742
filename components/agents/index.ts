export { AgentsLive } from "./agents-live";
export { AgentSystemLive } from "./agent-system-live";
export { DeclaredSystems } from "./declared-systems";
