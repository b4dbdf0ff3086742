// Typed errors of the agent layer: one class with a string-literal `code` and structured fields;
// messages name the agent, the value at fault and the fix.
import { CodedError } from "../../errors";

export type AgentErrorCode =
  | "OPTION_INVALID"
  | "SKILL_INVALID"
  | "MESSAGE_INVALID"
  | "MAILBOX_FULL"
  | "AGENT_STOPPED"
  | "AGENT_CRASHED"
  | "TASK_TIMEOUT"
  | "UNKNOWN_MESSAGE"
  | "NO_CAPABLE_AGENT"
  | "UNKNOWN_ADDRESS"
  | "TASK_FAILED"
  | "ACTION_DISABLED";

export class AgentError extends CodedError<AgentErrorCode> {
  constructor(
    code: AgentErrorCode,
    message: string,
    /** The agent (or team) the error is about, when there is one. */
    readonly subject?: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    // One name for every agent error, subclasses included: logs group them by it.
    this.name = "AgentError";
  }

  /** Crashes, timeouts and stopped agents: the same task may succeed on another agent. */
  get reassignable(): boolean {
    return this.code === "AGENT_CRASHED" || this.code === "TASK_TIMEOUT" || this.code === "AGENT_STOPPED";
  }
}

export function isAgentError(error: unknown, code?: AgentErrorCode): error is AgentError {
  return error instanceof AgentError && (code === undefined || error.code === code);
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
