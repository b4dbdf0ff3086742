export { describeJobQueueContract, type QueueUnderTest } from "./job-queue-contract";
export { JobProbe, probeJobs, type ProbeRecord } from "./probe-jobs";
export { waitUntil, waitForJob } from "./wait";
export { TEST_REDIS_URL, testRedisPrefix, removeRedisKeys } from "./redis";
export {
  setUpOptimizationFixture,
  recordingPublisher,
  referenceRun,
  demoLMFor,
  FIXTURE_PROGRAM,
  FIXTURE_LAUNCH,
  type OptimizationFixture,
  type RecordedEvent,
} from "./optimization-fixture";
