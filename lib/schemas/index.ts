export * from "./system";
export * from "./realtime";
export * from "./events";
