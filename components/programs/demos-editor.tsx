"use client";

import { Plus, Trash2 } from "lucide-react";
import type { SignatureFieldView } from "@/lib/schemas";
import { btn, input } from "./ui";

type Demo = Record<string, unknown>;

const NUMERIC = new Set(["number", "integer", "probability", "confidence", "score"]);

/** Text typed into a demo field as the value the field's type expects (numbers and booleans parsed). */
function fromText(text: string, field: SignatureFieldView | undefined): unknown {
  if (field && NUMERIC.has(field.kind) && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (field?.kind === "boolean" && (text === "true" || text === "false")) return text === "true";
  return text;
}

const toText = (value: unknown) => (typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value));

/** Few-shot demos: a list of examples, each with a value for the signature's fields. */
export function DemosEditor({
  id,
  value,
  onChange,
  fields,
  max,
  invalid,
}: {
  id: string;
  value: unknown;
  onChange: (next: Demo[]) => void;
  fields: readonly SignatureFieldView[];
  max: number;
  invalid: boolean;
}) {
  const demos: Demo[] = Array.isArray(value) ? (value as Demo[]) : [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const namesOf = (d: Demo) => [...new Set([...fields.map((f) => f.name), ...Object.keys(d)])];
  const update = (i: number, name: string, text: string) => onChange(demos.map((d, j) => (j === i ? { ...d, [name]: fromText(text, byName.get(name)) } : d)));
  const add = () => onChange([...demos, Object.fromEntries(fields.map((f) => [f.name, ""]))]);
  const remove = (i: number) => onChange(demos.filter((_, j) => j !== i));

  return (
    <div id={id} className="space-y-2" aria-invalid={invalid} data-testid="demos-editor">
      {demos.length === 0 && <p className="text-sm text-muted">No demos: the step is zero-shot. Add an example to show the model what a good answer looks like.</p>}
      {demos.map((d, i) => (
        <fieldset key={i} className="rounded-md border border-border p-3" data-testid={`demo-${i}`}>
          <div className="mb-2 flex items-center justify-between">
            <legend className="text-xs font-medium uppercase tracking-wide text-muted">Demo {i + 1}</legend>
            <button type="button" className={`${btn} px-2 py-1`} onClick={() => remove(i)} aria-label={`Remove demo ${i + 1}`}>
              <Trash2 aria-hidden className="size-4" />
            </button>
          </div>
          <div className="grid gap-2 md:grid-cols-2">
            {namesOf(d).map((name) => (
              <label key={name} className="block text-sm">
                <span className="font-mono text-xs text-muted">{name}</span>
                <textarea className={`${input} mt-0.5 min-h-[2.5rem]`} rows={2} value={toText(d[name])} onChange={(e) => update(i, name, e.target.value)} />
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      <button type="button" className={btn} onClick={add} disabled={demos.length >= max}>
        <Plus aria-hidden className="size-4" /> Add demo
      </button>
      <span className="ml-2 text-xs text-muted">
        {demos.length} of at most {max}
      </span>
    </div>
  );
}
