export { startSupervisor, supervisor, type SupervisorOptions } from "./supervisor";
export { task, service, type ServiceControl } from "./child";
export { backoffDelay } from "./restart-window";
export {
  ChildSpecSchema,
  SupervisorFlagsSchema,
  BackoffSchema,
  DEFAULT_SHUTDOWN_MS,
  type ChildSpec,
  type ChildSpecInput,
  type SupervisorFlags,
  type SupervisorFlagsInput,
  type Backoff,
} from "./spec";
export {
  ActorSystemError,
  SupervisorError,
  SupervisorConfigError,
  ChildNotFoundError,
  ChildStateError,
  ChildStartError,
  ChildStopError,
  SupervisorNotRunningError,
  RestartIntensityError,
  ShutdownTimeoutError,
  describeError,
  type ActorSystemErrorCode,
  type ConfigIssue,
} from "./errors";
export type {
  Supervisor,
  ChildHandle,
  ChildContext,
  StartFn,
  ExitReason,
  StopReason,
  ChildState,
  ChildSnapshot,
  SupervisorSnapshot,
  SupervisorStatus,
  SupervisorChildEvent,
  SupervisorEventSink,
  ShutdownReport,
  AbandonedChild,
} from "./types";
