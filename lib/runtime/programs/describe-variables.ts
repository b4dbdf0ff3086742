// A variable space as plain data for forms: the space's own description plus what a form needs
// to validate a value the way the server will (the most demos a set may hold).
import type { VariableSpace } from "../../dspex";
import type { VariableDescription } from "../../schemas/programs";

export function describeVariables(space: VariableSpace): VariableDescription[] {
  return space.toJSON().map((v) => {
    const maxItems = space.get(v.name)?.maxItems;
    return { ...v, ...(maxItems !== undefined && { maxItems }) } as VariableDescription;
  });
}
