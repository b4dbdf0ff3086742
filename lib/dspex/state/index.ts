export { saveState, loadState, loadStateJSON, stateToJSON, StateError } from "./state";
export { ProgramStateSchema, PredictorStateSchema, LMSettingsSchema, STATE_FORMAT, STATE_VERSION, type ProgramState, type PredictorState } from "./schema";
