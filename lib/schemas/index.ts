export * from "./system";
export * from "./realtime";
