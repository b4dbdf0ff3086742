"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Calculator, Loader2, Rocket } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/routes";
import { PriceUnknown } from "@/components/costs";
import { fmtInt, fmtUsd } from "./format";
import { checkLaunch, fieldOf, type LaunchField, type LaunchValues } from "./launch-body";

const input = "w-full rounded-md border border-border bg-card px-3 py-1.5 text-sm aria-[invalid=true]:border-bad";

const resolver: Resolver<LaunchValues> = async (values) => {
  const checked = checkLaunch(values);
  if (checked.ok) return { values, errors: {} };
  const errors = Object.fromEntries(Object.entries(checked.errors).map(([k, message]) => [k, { type: "validate", message }]));
  return { values: {}, errors };
};

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" data-testid={`error-${id}`} className="text-xs text-bad">
          {error}
        </p>
      ) : (
        hint && <p className="text-xs text-muted">{hint}</p>
      )}
    </div>
  );
}

/** Launch an optimization: choices from GET /optimizations/setup, a live estimate, then POST /optimizations. */
export function LaunchForm({ initialProgram }: { initialProgram?: string }) {
  const router = useRouter();
  const setup = useQuery({ queryKey: ["optimizations", "setup"], queryFn: () => callApi(routes.optimizationSetup) });
  const form = useForm<LaunchValues>({
    resolver,
    defaultValues: { programName: "", datasetVersionId: "", optimizer: "auto", search: [], seed: "0", budgetUsd: "1", budgetLmCalls: "200", budgetSeconds: "600" },
  });
  const { register, control, setValue, setError, formState } = form;
  const values = useWatch({ control }) as LaunchValues;
  const program = setup.data?.programs.find((p) => p.name === values.programName);

  // Choosing a program picks its dataset (same name, latest version) and every variable that can change.
  useEffect(() => {
    const programs = setup.data?.programs;
    if (!programs?.length) return;
    const name = values.programName || (programs.find((p) => p.name === initialProgram) ?? programs[0]!).name;
    const p = programs.find((x) => x.name === name);
    if (!p) return;
    if (values.programName !== name) setValue("programName", name);
    setValue("datasetVersionId", p.defaultDatasetVersionId ?? "");
    setValue("search", p.variables.filter((v) => !v.fixed).map((v) => v.name));
  }, [setup.data, values.programName, initialProgram, setValue]);

  // The estimate follows the form, 400 ms after the last change, while the form is valid.
  const checked = checkLaunch(values);
  const bodyKey = checked.ok ? JSON.stringify(checked.body) : null;
  const [debounced, setDebounced] = useState<string | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(bodyKey), 400);
    return () => clearTimeout(t);
  }, [bodyKey]);
  const [rootError, setRootError] = useState<string | null>(null);
  const showServerErrors = (err: unknown) => {
    if (!(err instanceof ApiError)) return setRootError("the request failed; try again");
    let placed = false;
    for (const [path, message] of Object.entries(err.fields)) {
      const field = fieldOf(path);
      if (field) {
        setError(field, { type: "server", message });
        placed = true;
      }
    }
    if (!placed) setRootError(err.message);
  };
  const estimate = useQuery({
    queryKey: ["optimizations", "estimate", debounced],
    queryFn: async () => {
      try {
        return await callApi(routes.estimateOptimization, { body: JSON.parse(debounced!) as BodyInput<typeof routes.estimateOptimization> });
      } catch (e) {
        // What only the server can tell (a variable the job would refuse...) goes next to its field.
        showServerErrors(e);
        throw e;
      }
    },
    enabled: debounced !== null,
    retry: false,
    staleTime: 60_000,
  });

  const launch = useMutation({
    mutationFn: async (v: LaunchValues) => {
      const c = checkLaunch(v);
      if (!c.ok) throw new Error("invalid");
      await callApi(routes.estimateOptimization, { body: c.body });
      return callApi(routes.createOptimization, { body: c.body });
    },
    onSuccess: (o) => router.push(`/optimizations/${o.id}`),
    onError: showServerErrors,
  });
  const onSubmit = form.handleSubmit((v) => {
    setRootError(null);
    launch.mutate(v);
  });

  const versions = useMemo(() => setup.data?.datasetVersions ?? [], [setup.data]);
  const err = (f: LaunchField) => formState.errors[f]?.message;
  const aria = (f: LaunchField) => ({ "aria-invalid": err(f) ? true : undefined, "aria-describedby": err(f) ? `${f}-error` : undefined });

  if (setup.isError) return <p role="alert" className="text-sm text-bad">{setup.error.message}</p>;
  if (!setup.data) return <p className="text-sm text-muted">Loading programs and datasets…</p>;
  if (setup.data.programs.length === 0) return <p className="text-sm text-muted">No program is served here yet: add one under programs/ (it loads without a restart).</p>;

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 lg:grid-cols-3" data-testid="launch-form">
      <Card className="lg:col-span-2">
        <CardHeader title="What to optimize" />
        <CardBody className="grid gap-4 sm:grid-cols-2">
          {rootError && (
            <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 p-2 text-sm text-bad sm:col-span-2">
              {rootError}
            </p>
          )}
          <Field id="programName" label="Program" error={err("programName")} hint={program?.description}>
            <select id="programName" className={input} {...register("programName")} {...aria("programName")}>
              {setup.data.programs.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="datasetVersionId" label="Dataset version" error={err("datasetVersionId")} hint="Default: the dataset named like the program, latest version">
            <select id="datasetVersionId" className={input} {...register("datasetVersionId")} {...aria("datasetVersionId")}>
              <option value="">Choose a dataset version…</option>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.datasetName} v{v.number} ({v.exampleCount} examples)
                </option>
              ))}
            </select>
          </Field>
          <Field id="optimizer" label="Optimizer" error={err("optimizer")} hint="auto picks one from the variables and the dataset size">
            <select id="optimizer" className={input} {...register("optimizer")} {...aria("optimizer")}>
              {setup.data.optimizers.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </Field>
          <Field id="metric" label="Metric" hint="Each program is scored by the metric defined in its code; the plan has no other choice">
            <input id="metric" className={`${input} bg-subtle`} readOnly value={program ? (program.hasMetric ? `${program.name}'s metric` : "none: this program cannot be optimized") : ""} />
          </Field>
          <fieldset className="space-y-1 sm:col-span-2" aria-describedby={err("search") ? "search-error" : undefined}>
            <legend className="text-sm font-medium">Variables to search</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {program?.variables.map((v) => (
                <label key={v.name} className={`inline-flex items-center gap-1.5 text-sm ${v.fixed ? "text-muted" : ""}`} title={v.description ?? undefined}>
                  <input type="checkbox" value={v.name} disabled={v.fixed} {...register("search")} />
                  {v.name} <span className="text-xs text-muted">({v.kind}{v.fixed ? ", fixed" : ""})</span>
                </label>
              ))}
            </div>
            {err("search") ? (
              <p id="search-error" role="alert" data-testid="error-search" className="text-xs text-bad">
                {err("search")}
              </p>
            ) : (
              <p className="text-xs text-muted">Unticked variables keep the base version&apos;s values.</p>
            )}
          </fieldset>
          <Field id="seed" label="Seed" error={err("seed")} hint="Same seed, same data: the same trials">
            <input id="seed" inputMode="numeric" className={input} {...register("seed")} {...aria("seed")} />
          </Field>
        </CardBody>
      </Card>
      <div className="space-y-4">
        <Card>
          <CardHeader title="Budget" description="The run stops cleanly at the first limit reached; leave one empty for no limit" />
          <CardBody className="space-y-3">
            <Field id="budgetUsd" label="Money (USD)" error={err("budgetUsd")}>
              <input id="budgetUsd" inputMode="decimal" className={input} {...register("budgetUsd")} {...aria("budgetUsd")} />
            </Field>
            <Field id="budgetLmCalls" label="LM calls" error={err("budgetLmCalls")}>
              <input id="budgetLmCalls" inputMode="numeric" className={input} {...register("budgetLmCalls")} {...aria("budgetLmCalls")} />
            </Field>
            <Field id="budgetSeconds" label="Time (seconds)" error={err("budgetSeconds")}>
              <input id="budgetSeconds" inputMode="numeric" className={input} {...register("budgetSeconds")} {...aria("budgetSeconds")} />
            </Field>
          </CardBody>
        </Card>
        <Card data-testid="estimate" data-state={estimate.isFetching ? "loading" : estimate.data ? "ready" : "idle"}>
          <CardHeader title="Cost estimate" description="Planned without running anything" action={estimate.isFetching ? <Loader2 className="size-4 animate-spin text-muted" /> : <Calculator className="size-4 text-muted" />} />
          <CardBody className="space-y-2 text-sm">
            {estimate.data && bodyKey === debounced ? (
              <>
                <dl className="grid grid-cols-3 gap-2 text-center">
                  <div>
                    <dt className="text-xs text-muted">Trials</dt>
                    <dd className="text-lg font-semibold tabular-nums" data-testid="estimate-trials">{fmtInt(estimate.data.trials)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">LM calls</dt>
                    <dd className="text-lg font-semibold tabular-nums" data-testid="estimate-lm-calls">{fmtInt(estimate.data.lmCalls)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Cost</dt>
                    <dd className="text-lg font-semibold tabular-nums" data-testid="estimate-usd">{estimate.data.usd === null ? <PriceUnknown calls={estimate.data.lmCalls} /> : fmtUsd(estimate.data.usd)}</dd>
                  </div>
                </dl>
                <p className="text-xs text-muted">
                  {estimate.data.optimizer}: {estimate.data.reason}. {estimate.data.train} training and {estimate.data.val} validation examples
                  {estimate.data.heldOut ? " (held out of the training split)" : ""}.
                </p>
                {estimate.data.warnings.map((w) => (
                  <p key={w} className="text-xs text-warn">{w}</p>
                ))}
              </>
            ) : (
              <p className="text-muted">{checked.ok ? "Estimating…" : "Fix the fields marked in red to see the estimate."}</p>
            )}
          </CardBody>
        </Card>
        <button type="submit" disabled={launch.isPending} className="inline-flex w-full items-center justify-center gap-2 rounded-md bg-accent px-4 py-2 text-sm font-medium text-accent-fg hover:bg-accent/90 disabled:opacity-60">
          {launch.isPending ? <Loader2 className="size-4 animate-spin" /> : <Rocket className="size-4" />} Start optimization
        </button>
      </div>
    </form>
  );
}
