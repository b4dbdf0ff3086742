import { describe, expect, it } from "vitest";
import { Predict } from "../../dspex";
import { defineServedProgram } from "./define-served-program";

const refused = (make: () => unknown) => {
  try {
    make();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error("no error was thrown");
};

describe("defineServedProgram", () => {
  it("a misspelt field, or a misspelt key of its variables, is an error naming it and the nearest valid one", () => {
    expect(refused(() => defineServedProgram({ name: "p", program: new Predict("q -> a"), varaibles: {} } as never))).toEqual({
      code: "PROGRAM_INVALID",
      message: 'defineServedProgram: unknown field "varaibles"; did you mean "variables"? (fields: name, description, program, signature, variables, dataset, metric)',
    });
    expect(refused(() => defineServedProgram({ name: "p", program: new Predict("q -> a"), variables: { moduleSelect: true } } as never)).message).toMatch(/"variables" discoverSpace: unknown option "moduleSelect"; did you mean "moduleSelection"\?/);
  });
});
