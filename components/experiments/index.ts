export { ExperimentsList } from "./experiments-list";
export { ExperimentView } from "./experiment-view";
export { LaunchExperiment } from "./launch-experiment";
