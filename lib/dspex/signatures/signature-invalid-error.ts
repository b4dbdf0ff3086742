import { DspexError } from "../errors";

/** A signature built from fields that cannot work together (bad name, duplicate, no outputs). */
export class SignatureInvalidError extends DspexError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super("SIGNATURE_INVALID", `Signature field "${field}": ${reason}`);
  }
}
