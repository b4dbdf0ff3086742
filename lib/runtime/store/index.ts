export { entityCounts, type EntityCounts } from "./counts";
