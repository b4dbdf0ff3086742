export { OptimizationsList } from "./optimizations-list";
export { RunView } from "./run-view";
export { LaunchForm } from "./launch-form";
export { CompareView } from "./compare-view";
export { TrialView } from "./trial-view";
