"use client";

import { Controller, type Control } from "react-hook-form";
import type { SignatureFieldView, VariableDescription } from "@/lib/schemas";
import { DemosEditor } from "./demos-editor";
import { input, inputWidth } from "./ui";
import type { FormValues } from "./variable-keys";

const label = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

/** One variable's control, chosen by its kind: slider, number, select, picker, textarea or demos. */
export function VariableField({
  variable: v,
  name,
  control,
  demoFields,
  error,
}: {
  variable: VariableDescription;
  name: string;
  control: Control<FormValues>;
  demoFields: readonly SignatureFieldView[];
  error: string | undefined;
}) {
  const id = `var-${name}`;
  const errorId = `${id}-error`;
  const aria = { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? errorId : undefined, disabled: v.fixed };
  const d = v.domain;

  return (
    <div className="space-y-1.5 border-b border-border py-4 last:border-0" data-testid={`variable-${v.name}`}>
      <div className="flex flex-wrap items-baseline gap-2">
        <label htmlFor={id} className="font-mono text-sm font-medium">
          {v.name}
        </label>
        <span className="rounded bg-subtle px-1.5 py-0.5 text-xs text-muted">{v.kind}</span>
        {v.fixed && <span className="text-xs text-muted">fixed</span>}
        {v.condition && <span className="text-xs text-muted">when {v.condition.variable} is {v.condition.in.map(label).join(" or ")}</span>}
      </div>
      {v.description && <p className="text-xs text-muted">{v.description}</p>}
      <Controller
        name={name}
        control={control}
        render={({ field }) => {
          if ((v.kind === "float" || v.kind === "int") && d.type !== "categorical") {
            const step = d.step ?? (v.kind === "int" ? 1 : (d.high - d.low) / 100);
            const num = typeof field.value === "number" && Number.isFinite(field.value) ? field.value : d.low;
            const toNumber = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));
            return (
              <div className="flex items-center gap-3">
                {v.kind === "float" && (
                  <input
                    type="range"
                    aria-label={`${v.name} slider`}
                    className="w-full max-w-sm accent-[var(--accent)]"
                    min={d.low}
                    max={d.high}
                    step={step}
                    value={num}
                    disabled={v.fixed}
                    onChange={(e) => field.onChange(Number(e.target.value))}
                  />
                )}
                <input
                  {...aria}
                  type="number"
                  inputMode="decimal"
                  className={inputWidth("w-28")}
                  step={v.kind === "int" ? step : "any"}
                  value={typeof field.value === "number" && Number.isFinite(field.value) ? field.value : ((field.value as string | undefined) ?? "")}
                  onChange={(e) => field.onChange(toNumber(e.target.value))}
                  onBlur={field.onBlur}
                />
                <span className="text-xs text-muted tabular-nums">
                  {d.low} – {d.high}
                </span>
              </div>
            );
          }
          if (v.kind === "text") {
            return <textarea {...aria} className={`${input} min-h-[5rem] font-mono`} rows={4} value={(field.value as string | undefined) ?? ""} onChange={(e) => field.onChange(e.target.value)} onBlur={field.onBlur} />;
          }
          if (v.kind === "demos") {
            return <DemosEditor id={id} value={field.value} onChange={field.onChange} fields={demoFields} max={v.maxItems ?? 8} invalid={Boolean(error)} />;
          }
          const choices = d.type === "categorical" ? d.choices : [];
          const index = choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(field.value));
          if (v.kind === "module" || v.kind === "boolean" || choices.length <= 4) {
            return (
              <div role="radiogroup" aria-label={v.name} className="flex flex-wrap gap-1.5" id={id}>
                {choices.map((c, i) => (
                  <button
                    key={label(c)}
                    type="button"
                    role="radio"
                    aria-checked={i === index}
                    disabled={v.fixed}
                    onClick={() => field.onChange(c)}
                    className={`rounded-md border px-3 py-1.5 text-sm ${i === index ? "border-accent bg-accent text-accent-fg" : "border-border bg-card hover:bg-subtle"}`}
                  >
                    {label(c)}
                  </button>
                ))}
              </div>
            );
          }
          return (
            <select {...aria} className={`${input} max-w-sm`} value={index < 0 ? "" : String(index)} onChange={(e) => field.onChange(choices[Number(e.target.value)])} onBlur={field.onBlur}>
              {index < 0 && <option value="">(choose)</option>}
              {choices.map((c, i) => (
                <option key={label(c)} value={i}>
                  {label(c)}
                </option>
              ))}
            </select>
          );
        }}
      />
      {error && (
        <p id={errorId} role="alert" className="text-sm text-bad" data-testid={`error-${v.name}`}>
          {error}
        </p>
      )}
    </div>
  );
}
