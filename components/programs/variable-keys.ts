// Variable names hold dots ("generate.temperature"), which react-hook-form reads as nesting, so
// the form keys each variable by its position and maps server field paths back to those keys.
import { z } from "zod";
import { variableValueSchema, type VariableDescription } from "@/lib/schemas";

export type FormValues = Record<string, unknown>;
export const MESSAGE_KEY = "__message";

export const keyOf = (index: number) => `v${index}`;

/** The form's schema: each variable's value with the server's rules, plus the version message. */
export function formSchema(variables: readonly VariableDescription[]) {
  return z.object({
    ...Object.fromEntries(variables.map((v, i) => [keyOf(i), variableValueSchema(v).optional()])),
    [MESSAGE_KEY]: z.string().max(1000, "must be at most 1000 characters"),
  });
}

/** The form key of a server field path such as "config.generate.temperature" (undefined when none fits). */
export function keyOfField(variables: readonly VariableDescription[], field: string): string | undefined {
  if (field === "message") return MESSAGE_KEY;
  if (!field.startsWith("config.")) return undefined;
  const rest = field.slice("config.".length);
  // The longest variable name the path starts with (a demo path may go deeper: "demos.0.question").
  let best = -1;
  variables.forEach((v, i) => {
    if ((rest === v.name || rest.startsWith(`${v.name}.`)) && (best < 0 || v.name.length > variables[best]!.name.length)) best = i;
  });
  return best < 0 ? undefined : keyOf(best);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a variable applies under the values chosen so far (its condition holds). */
export function isActive(variables: readonly VariableDescription[], values: FormValues, v: VariableDescription): boolean {
  if (!v.condition) return true;
  const i = variables.findIndex((p) => p.name === v.condition!.variable);
  if (i < 0) return true;
  const parent = variables[i]!;
  if (!isActive(variables, values, parent)) return false;
  return v.condition.in.some((allowed) => jsonEqual(allowed, values[keyOf(i)]));
}
