export { KINDS, kindInfo, PROVIDER_KINDS, type KindInfo, type ProviderKind } from "./kinds";
export { anthropicRoot, connectProvider, type ProviderConnection, type ProviderModelInfo } from "./connection";
export { listProviderModels, type ListResult, type ListTarget } from "./list-models";
export { DEMO_PROVIDER, resolveModel, type Directory, type Resolution } from "./resolve-model";
export { createProviderRouter, type ProviderRouter, type ProviderRouterOptions } from "./provider-router";
export { BOOTSTRAP_PROVIDER, bootstrapProvider, loadProviderConnections, modelsOf, openProvider } from "./provider-source";
