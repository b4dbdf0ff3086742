export { RunScores } from "./run-scores";
export { QueueReview } from "./queue-review";
