// A caller's mistake (bad options or tests), as opposed to a guest fault, which is data.
import { CodedError } from "../../../errors";

export class SandboxOptionsError extends CodedError<"SANDBOX_OPTIONS_INVALID"> {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("SANDBOX_OPTIONS_INVALID", message);
  }
}
