// Typed errors of the event stream. One root (`EventStreamError`) with a string-literal `code`;
// messages name the event, the field at fault and the fix.
import { CodedError } from "../../errors";

export type EventStreamErrorCode =
  /** A producer emitted a payload that fails its schema (checked in development and tests). */
  | "EVENT_INVALID"
  /** The writer could not persist an event after its retries; the event is kept as a dead letter. */
  | "EVENT_WRITE_FAILED"
  /** An event reached the writer after `stop()`; it is kept as a dead letter and logged. */
  | "WRITER_STOPPED"
  /** A `run:finished` arrived for a run that is neither in the batch nor in the database. */
  | "RUN_NOT_FOUND"
  | "OPTION_INVALID";

export class EventStreamError extends CodedError<EventStreamErrorCode> {}
