// A caller's mistake (bad options or tests), as opposed to a guest fault, which is data.
export class SandboxOptionsError extends Error {
  readonly code = "SANDBOX_OPTIONS_INVALID" as const;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SandboxOptionsError";
  }
}
