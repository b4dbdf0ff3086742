// The root of DSPEx's own errors: a stable code for programs to branch on beside the message for
// people, the subclass's name as `name` (so logs and stack traces say which kind), and the cause kept.
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
