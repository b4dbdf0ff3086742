"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, type FieldValues, type Path } from "react-hook-form";
import type { z } from "zod";
import { ApiError } from "@/lib/api/client";

export interface AuthField<T> {
  readonly name: Path<T & FieldValues>;
  readonly label: string;
  readonly type: "text" | "email" | "password";
  readonly autoComplete: string;
  readonly hint?: string;
}

/** A sign-in or first-start form: validated in the browser with the server's schema, server errors shown by their field. */
export function AuthForm<S extends z.ZodType<FieldValues, FieldValues>>({
  schema,
  fields,
  submit,
  submitLabel,
  next,
}: {
  schema: S;
  fields: readonly AuthField<z.input<S>>[];
  /** Sends the checked values to the server (the sign-in or first-start route). */
  submit: (values: z.input<S>) => Promise<unknown>;
  submitLabel: string;
  next: string;
}) {
  const [formError, setFormError] = useState<string>();
  const form = useForm<z.input<S>>({ resolver: zodResolver(schema) as never, mode: "onTouched" });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      await submit(values);
      // A full load: the live socket reconnects with the new session cookie.
      window.location.assign(next);
    } catch (err) {
      if (err instanceof ApiError) {
        const named = Object.entries(err.fields).filter(([field]) => fields.some((f) => f.name === field));
        for (const [field, message] of named) form.setError(field as Path<z.input<S>>, { message });
        if (named.length === 0) setFormError(err.message);
      } else setFormError(err instanceof Error ? err.message : String(err));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {fields.map((f) => {
        const error = errors[f.name]?.message;
        const id = `field-${String(f.name)}`;
        return (
          <div key={String(f.name)} className="space-y-1">
            <label htmlFor={id} className="block text-sm font-medium">
              {f.label}
            </label>
            <input
              id={id}
              type={f.type}
              autoComplete={f.autoComplete}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : f.hint ? `${id}-hint` : undefined}
              className="w-full rounded-md border border-border bg-bg px-3 py-2 text-sm outline-none focus:ring-2 focus:ring-accent aria-[invalid]:border-bad"
              {...form.register(f.name)}
            />
            {error ? (
              <p id={`${id}-error`} role="alert" className="text-xs text-bad">
                {String(error)}
              </p>
            ) : (
              f.hint && (
                <p id={`${id}-hint`} className="text-xs text-muted">
                  {f.hint}
                </p>
              )
            )}
          </div>
        );
      })}
      {formError && (
        <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad">
          {formError}
        </p>
      )}
      <button type="submit" disabled={isSubmitting} className="w-full rounded-md bg-accent px-3 py-2 text-sm font-medium text-accent-fg hover:opacity-90 disabled:opacity-60">
        {isSubmitting ? "Please wait…" : submitLabel}
      </button>
    </form>
  );
}
