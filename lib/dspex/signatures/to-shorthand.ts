// Writes a signature back as shorthand. Simple signatures round-trip through parseShorthand; what
// the shorthand cannot say (label descriptions, typed json schemas, custom zod checks, variables,
// instructions) is left out.
import type { Field, FieldType, Signature } from "./types";

const PLAIN_LABEL = /^[A-Za-z0-9_]+(?: [A-Za-z0-9_]+)*$/;

function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export function fieldTypeToShorthand(type: FieldType): string {
  switch (type.kind) {
    case "score":
      return `score(${type.min ?? 0}, ${type.max ?? 10})`;
    case "embedding":
      return `embedding(${type.dimensions ?? 0})`;
    case "list": {
      const item = type.item ? fieldTypeToShorthand(type.item) : "string";
      return /^[a-z]+(\[\])*$/.test(item) ? `${item}[]` : `list(${item})`;
    }
    case "labels": {
      const values = (type.labels ?? []).map((l) => l.value);
      return values.every((v) => PLAIN_LABEL.test(v)) ? `labels(${values.join(", ")})` : values.map(quote).join(" | ");
    }
    default:
      return type.kind;
  }
}

function fieldToShorthand(f: Field): string {
  const type = f.type.kind === "string" ? "" : `: ${fieldTypeToShorthand(f.type)}`;
  return `${f.name}${f.optional ? "?" : ""}${type}${f.description ? ` ${quote(f.description)}` : ""}`;
}

export function signatureToShorthand(signature: Pick<Signature, "inputs" | "outputs">): string {
  const inputs = signature.inputs.map(fieldToShorthand).join(", ");
  const outputs = signature.outputs.map(fieldToShorthand).join(", ");
  return inputs ? `${inputs} -> ${outputs}` : `-> ${outputs}`;
}
