export { TraceSearch } from "./trace-search";
export { AddToDataset } from "./add-to-dataset";
