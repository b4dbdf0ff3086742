export { LabeledFewShot, labeledCandidate, type LabeledFewShotOptions } from "./labeled-few-shot";
export { BootstrapFewShot, checkTeacher, type BootstrapFewShotOptions } from "./bootstrap-few-shot";
export { BootstrapFewShotWithRandomSearch, type BootstrapFewShotWithRandomSearchOptions } from "./random-search";
export { bootstrapDemos, passes, type BootstrapOutcome, type BootstrapRequest } from "./bootstrap-demos";
export { buildDemoCandidate, buildDemoCandidates, candidateSeeds, type BuiltCandidate, type DemoCandidateSettings } from "./demo-candidates";
export {
  demoSlots,
  demoLimit,
  instructionSlots,
  textSlotNote,
  type TextSlot,
  stepPaths,
  toDemo,
  exampleDemo,
  withDemos,
  demoCapNotes,
  type DemoCandidate,
  type DemoSlot,
  type StepDemos,
} from "./demos";
export { bootstrapShape, type BootstrapSettings } from "./options";
export { bootstrapCallsAtMost } from "./plan";
export { scoreOnValidation } from "./score-candidate";
