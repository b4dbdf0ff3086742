import { DspexError } from "../errors";

/**
 * An adapter could not read the outputs from a reply (no marker for a required field, no JSON
 * object). callWithAdapter shows `problem` to the model and retries; after the last retry it
 * throws OutputParseError instead.
 */
export class AdapterParseError extends DspexError {
  constructor(
    readonly adapter: string,
    /** What was wrong, phrased for the model too: "the reply has no marker for ...". */
    readonly problem: string,
    readonly details: {
      readonly raw: string;
      readonly expectedFields: readonly string[];
      readonly parsedFields: readonly string[];
    },
  ) {
    super("OUTPUT_PARSE", `${adapter} adapter: ${problem}`);
  }
}
