"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Play } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useRoom, useServerEvent } from "@/components/realtime";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { type ProgramDetail, type SignatureFieldView } from "@/lib/schemas";
import { usd } from "./format";
import { useVersions } from "./queries";
import { TraceView } from "./trace-view";
import { btnPrimary, input, inputWidth } from "./ui";

type Inputs = Record<string, string | boolean>;
const NUMERIC = new Set(["number", "integer", "probability", "confidence", "score"]);

/** A typed input's value: numbers parsed, JSON for lists and objects, text as is. */
function toValue(field: SignatureFieldView, raw: string | boolean): unknown {
  if (typeof raw === "boolean") return raw;
  if (NUMERIC.has(field.kind)) return raw.trim() === "" ? undefined : Number(raw);
  if (field.kind === "string" || field.kind === "labels") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The value a version gives a variable input (`t.variable`): the version's tuned value, else the variable's default. */
export interface TunedValue {
  readonly value: unknown;
  /** "v3", or "the default" when no version sets it. */
  readonly source: string;
}

const isVariableField = (field: SignatureFieldView) => field.variable !== undefined && field.variable !== null;
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The version's value of each variable input, by field name. */
function tunedValues(program: ProgramDetail, fields: readonly SignatureFieldView[], config: Readonly<Record<string, unknown>> | undefined, versionLabel: string): Map<string, TunedValue> {
  const out = new Map<string, TunedValue>();
  for (const f of fields) {
    if (!isVariableField(f)) continue;
    const v = program.variables.find((x) => x.target.kind === "field" && x.target.field === f.name);
    const fromVersion = v !== undefined && config !== undefined && v.name in config;
    const fallback = v ? v.default : (f.variable as { default?: unknown }).default;
    out.set(f.name, fromVersion ? { value: config[v.name], source: versionLabel } : { value: fallback, source: "the default" });
  }
  return out;
}

function InputField({
  field,
  register,
  error,
  tuned,
  typed,
}: {
  field: SignatureFieldView;
  register: ReturnType<typeof useForm<Inputs>>["register"];
  error: string | undefined;
  tuned: TunedValue | undefined;
  typed: boolean;
}) {
  const id = `input-${field.name}`;
  // A variable input is never required: left empty, the version's tuned value is used.
  const optional = field.optional || tuned !== undefined;
  const reg = register(field.name, { validate: (v) => optional || (typeof v === "boolean" ? true : v.trim() !== "") || "is required" });
  const aria = { id, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined };
  let control;
  if (field.kind === "boolean") control = <input type="checkbox" {...reg} {...aria} className="size-4" />;
  else if (field.labels) {
    control = (
      <select {...reg} {...aria} className={input}>
        <option value="">{tuned ? `(${tuned.source}'s value: ${show(tuned.value)})` : "(choose)"}</option>
        {field.labels.map((l) => (
          <option key={l.value}>{l.value}</option>
        ))}
      </select>
    );
  } else if (NUMERIC.has(field.kind)) control = <input type="number" step="any" {...reg} {...aria} className={`${input} max-w-xs`} placeholder={tuned ? show(tuned.value) : undefined} />;
  else {
    const placeholder = tuned ? `empty: ${tuned.source}'s value is used` : field.kind === "string" ? "" : `JSON (${field.hint})`;
    control = <textarea rows={field.kind === "string" ? 3 : 4} {...reg} {...aria} className={`${input} ${field.kind === "string" ? "" : "font-mono"}`} placeholder={placeholder} />;
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="flex flex-wrap items-baseline gap-2">
        <span className="font-mono text-sm font-medium">{field.name}</span>
        <span className="text-xs text-muted">{field.hint}</span>
        {field.optional && !tuned && <span className="text-xs text-muted">optional</span>}
        {tuned && (
          <span className="text-xs text-muted" data-testid={`tuned-${field.name}`}>
            variable · {tuned.source}: <code className="font-mono">{show(tuned.value)}</code>
          </span>
        )}
      </label>
      {field.description && <p className="text-xs text-muted">{field.description}</p>}
      {control}
      {tuned && typed && (
        <p className="text-xs text-warn" role="status" data-testid={`override-${field.name}`}>
          This run uses the value given here instead of {tuned.source}&apos;s <code className="font-mono">{show(tuned.value)}</code>. Leave it empty to use that value.
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-bad">
          {error}
        </p>
      )}
    </div>
  );
}

/** Runs the program on one input, against any version, and shows the output and its trace. */
export function Playground({ program }: { program: ProgramDetail }) {
  const fields = program.signature?.inputs ?? [];
  const versions = useVersions(program.name, 1);
  const [version, setVersion] = useState<string>("");
  const form = useForm<Inputs>({ defaultValues: Object.fromEntries(fields.map((f) => [f.name, f.kind === "boolean" ? false : ""])) });
  const chosen = version ? versions.data?.items.find((v) => String(v.number) === version) : program.active;
  const tuned = tunedValues(program, fields, chosen?.config, chosen ? `v${chosen.number}` : "the default");
  const values = useWatch({ control: form.control });
  const typed = (name: string) => {
    const v = values[name];
    return typeof v === "string" ? v.trim() !== "" : false;
  };

  const run = useMutation({
    mutationFn: (values: Inputs) => {
      const inputValues: Record<string, unknown> = {};
      for (const f of fields) {
        const v = toValue(f, values[f.name] ?? "");
        // An empty variable input is left out, so the version's tuned value applies.
        if (v !== undefined && !((f.optional || tuned.has(f.name)) && v === "")) inputValues[f.name] = v;
      }
      return callApi(routes.predict, {
        params: { name: program.name },
        body: { input: inputValues, ...(version && { version: Number(version) }) },
      });
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return;
      for (const [field, message] of Object.entries(err.fields)) {
        const name = field.startsWith("input.") ? field.slice(6).split(".")[0]! : undefined;
        if (name && fields.some((f) => f.name === name)) form.setError(name, { type: "server", message });
      }
    },
  });
  const result = run.data;
  const traceKey = ["runs", "trace", result?.runId];
  const trace = useQuery({
    queryKey: traceKey,
    queryFn: () => callApi(routes.getRun, { params: { id: result!.runId } }),
    enabled: Boolean(result?.runId),
    staleTime: Infinity,
    // Spans are written just after the answer: catch up a few times until they are there.
    refetchInterval: (q) => (q.state.data && (q.state.data.spans.length === 0 || q.state.data.lmCalls.length === 0) && q.state.dataUpdateCount < 10 ? 400 : false),
  });
  const client = useQueryClient();
  useRoom(result ? `runs:${result.runId}` : undefined);
  useServerEvent("span:finished", (span) => {
    if (span.runId === result?.runId) void client.invalidateQueries({ queryKey: traceKey });
  });

  if (!program.served) return <p className="text-sm text-muted">The program&apos;s code is not loaded here, so it cannot run.</p>;

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader title="Input" description="Runs are recorded with source “playground” and count against budgets." />
        <CardBody>
          <form noValidate className="space-y-4" onSubmit={form.handleSubmit((v) => run.mutate(v))} data-testid="playground-form">
            {fields.length === 0 && <p className="text-sm text-muted">The program declares no input fields.</p>}
            {fields.map((f) => (
              <InputField key={f.name} field={f} register={form.register} error={form.formState.errors[f.name]?.message} tuned={tuned.get(f.name)} typed={typed(f.name)} />
            ))}
            <div className="flex flex-wrap items-end gap-3">
              <label className="block text-sm">
                <span className="text-xs text-muted">Version</span>
                <select className={`${inputWidth("w-48")} mt-0.5`} value={version} onChange={(e) => setVersion(e.target.value)} aria-label="Version">
                  <option value="">active{program.active ? ` (v${program.active.number})` : ""}</option>
                  {versions.data?.items.map((v) => (
                    <option key={v.id} value={v.number}>
                      v{v.number}
                      {v.active ? " (active)" : ""}
                      {v.message ? ` — ${v.message.slice(0, 30)}` : ""}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className={btnPrimary} disabled={run.isPending}>
                <Play aria-hidden className="size-4" /> {run.isPending ? "Running…" : "Run"}
              </button>
            </div>
            {run.error && (
              <p role="alert" className="text-sm text-bad" data-testid="playground-error">
                {run.error.message}
              </p>
            )}
          </form>
        </CardBody>
      </Card>
      <div className="space-y-4">
        <Card>
          <CardHeader
            title="Output"
            description={
              result ? (
                <span>
                  v{result.version.number} ·{" "}
                  <Link className="text-accent hover:underline" href={`/runs/${encodeURIComponent(result.runId)}`}>
                    run {result.runId.slice(0, 8)}
                  </Link>
                </span>
              ) : (
                "Run the program to see its output"
              )
            }
          />
          <CardBody>
            {result ? (
              <div className="space-y-4">
                <dl className="space-y-2" data-testid="playground-output">
                  {Object.entries(result.output).map(([k, v]) => (
                    <div key={k}>
                      <dt className="font-mono text-xs text-muted">{k}</dt>
                      <dd className="whitespace-pre-wrap break-words text-sm">{typeof v === "string" ? v : JSON.stringify(v, null, 2)}</dd>
                    </div>
                  ))}
                </dl>
                <dl className="grid grid-cols-3 gap-2 rounded-md bg-subtle p-3 text-sm" data-testid="playground-stats">
                  <div>
                    <dt className="text-xs text-muted">Latency</dt>
                    <dd className="font-medium tabular-nums" data-testid="playground-latency">
                      {Math.round(result.latencyMs)} ms
                    </dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Cost</dt>
                    <dd className="font-medium tabular-nums">{usd(result.costUsd)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Tokens</dt>
                    <dd className="font-medium tabular-nums" title={`${result.usage.inputTokens} in / ${result.usage.outputTokens} out`}>
                      {result.usage.inputTokens} in / {result.usage.outputTokens} out
                    </dd>
                  </div>
                </dl>
              </div>
            ) : (
              <p className="text-sm text-muted">{run.isPending ? "Running…" : "No output yet."}</p>
            )}
          </CardBody>
        </Card>
        {result && (
          <Card>
            <CardHeader title="Trace" description="Spans and LM calls; open a call to read the exact messages" />
            <CardBody>
              {trace.isPending && <p className="text-sm text-muted">Loading trace…</p>}
              {trace.error && <p className="text-sm text-bad">{trace.error.message}</p>}
              {trace.data && <TraceView trace={trace.data} />}
            </CardBody>
          </Card>
        )}
      </div>
    </div>
  );
}
