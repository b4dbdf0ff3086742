"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Save, SlidersHorizontal } from "lucide-react";
import { useMemo } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/routes";
import { type ProgramDetail } from "@/lib/schemas";
import { programKeys } from "./queries";
import { btn, btnPrimary, input } from "./ui";
import { VariableField } from "./variable-field";
import { formSchema, isActive, jsonEqual, keyOf, keyOfField, MESSAGE_KEY, type FormValues } from "./variable-keys";

/**
 * The program's variable space as a form, starting from the active version's values. Saving
 * creates a new version holding the changed variables (the active version is its parent).
 */
export function VariablesForm({ program, onSaved }: { program: ProgramDetail; onSaved: () => void }) {
  const { variables, active } = program;
  const base = useMemo<FormValues>(() => {
    const config = active?.config ?? {};
    return { ...Object.fromEntries(variables.map((v, i) => [keyOf(i), v.name in config ? config[v.name] : v.default])), [MESSAGE_KEY]: "" };
  }, [variables, active]);
  const schema = useMemo(() => formSchema(variables), [variables]);
  const form = useForm<FormValues>({ resolver: zodResolver(schema) as unknown as Resolver<FormValues>, values: base, mode: "onChange" });
  const values = useWatch({ control: form.control }) as FormValues;
  const client = useQueryClient();

  const changed = variables.filter((v, i) => isActive(variables, values, v) && !v.fixed && !jsonEqual(values[keyOf(i)], base[keyOf(i)]));

  const save = useMutation({
    mutationFn: (data: FormValues) => {
      // The form's schema, built from the variables, has checked each value (all JSON).
      const config = Object.fromEntries(changed.map((v) => [v.name, data[keyOf(variables.indexOf(v))]])) as BodyInput<typeof routes.createProgramVersion>["config"];
      return callApi(routes.createProgramVersion, {
        params: { name: program.name },
        body: { config, message: String(data[MESSAGE_KEY] ?? ""), ...(active && { parentId: active.id }) },
      });
    },
    onSuccess: (version) => {
      toast.success(`Saved as v${version.number}`, { description: "Promote it in Versions to serve it." });
      void client.invalidateQueries({ queryKey: programKeys.all });
      onSaved();
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        let placed = false;
        for (const [field, message] of Object.entries(err.fields)) {
          const key = keyOfField(variables, field);
          if (key) {
            form.setError(key, { type: "server", message });
            placed = true;
          }
        }
        if (!placed) form.setError("root", { type: "server", message: err.message });
      } else form.setError("root", { type: "server", message: err instanceof Error ? err.message : String(err) });
    },
  });

  if (!program.served) return <p className="text-sm text-muted">The program&apos;s code is not loaded here, so its variables are unknown.</p>;
  if (variables.length === 0) {
    return (
      <EmptyState icon={SlidersHorizontal} title="No variables">
        This program exposes nothing to tune. Variables are discovered from its Predict and ChainOfThought steps; pass <code className="font-mono">variables</code> to defineServedProgram to add models or a temperature range.
      </EmptyState>
    );
  }

  const demoFields = [...(program.signature?.inputs ?? []), ...(program.signature?.outputs ?? [])];
  const errors = form.formState.errors;

  return (
    <form noValidate onSubmit={form.handleSubmit((data) => save.mutate(data))} className="grid gap-4 lg:grid-cols-3" data-testid="variables-form">
      <Card className="lg:col-span-2">
        <CardHeader title="Variables" description={active ? `Editing from v${active.number} (active). Saving creates a new version; it is not served until promoted.` : "The program's defaults"} />
        <CardBody className="py-0">
          {variables.map((v, i) =>
            isActive(variables, values, v) ? (
              <VariableField key={v.name} variable={v} name={keyOf(i)} control={form.control} demoFields={demoFields} error={errors[keyOf(i)]?.message as string | undefined} />
            ) : null,
          )}
        </CardBody>
      </Card>
      <div className="space-y-4">
        <Card className="lg:sticky lg:top-4">
          <CardHeader title="Save as a new version" description={`${changed.length} variable${changed.length === 1 ? "" : "s"} changed`} />
          <CardBody className="space-y-3">
            {changed.length > 0 && (
              <ul className="space-y-0.5 text-xs" data-testid="changed-variables">
                {changed.map((v) => (
                  <li key={v.name} className="font-mono">
                    {v.name}
                  </li>
                ))}
              </ul>
            )}
            <label className="block text-sm">
              <span className="text-xs text-muted">Message</span>
              <input {...form.register(MESSAGE_KEY)} className={`${input} mt-0.5`} placeholder="What changed and why" aria-invalid={errors[MESSAGE_KEY] ? true : undefined} />
            </label>
            {errors[MESSAGE_KEY] && <p className="text-sm text-bad">{String(errors[MESSAGE_KEY]?.message)}</p>}
            {errors.root && (
              <p role="alert" className="text-sm text-bad">
                {errors.root.message}
              </p>
            )}
            <div className="flex gap-2">
              <button type="submit" className={btnPrimary} disabled={changed.length === 0 || save.isPending}>
                <Save aria-hidden className="size-4" /> {save.isPending ? "Saving…" : "Save version"}
              </button>
              <button type="button" className={btn} disabled={changed.length === 0} onClick={() => form.reset(base)}>
                Reset
              </button>
            </div>
          </CardBody>
        </Card>
      </div>
    </form>
  );
}
