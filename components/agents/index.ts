export { AgentsLive } from "./agents-live";
