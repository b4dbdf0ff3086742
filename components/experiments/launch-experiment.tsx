"use client";
// Launch an experiment: a program that has a metric, two or more of its versions (the first chosen
// is the baseline), a dataset version and how many examples. Errors come back from the API by field.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import { Card, CardBody, CardHeader, btnPrimary } from "@/components/ui";

const SELECT = "h-9 w-full rounded-md border border-border bg-bg px-2 text-sm aria-[invalid=true]:border-bad";

export function LaunchExperiment({ initialProgram }: { initialProgram?: string }) {
  const router = useRouter();
  const setup = useQuery({ queryKey: ["experiments", "setup"], queryFn: ({ signal }) => callApi(routes.optimizationSetup, { signal }) });
  const programs = (setup.data?.programs ?? []).filter((p) => p.hasMetric);
  const [program, setProgram] = useState(initialProgram ?? "");
  const chosen = program || programs[0]?.name || "";
  const versions = useQuery({
    queryKey: ["experiments", "versions", chosen],
    queryFn: ({ signal }) => callApi(routes.listProgramVersions, { params: { name: chosen }, query: { limit: 100 }, signal }),
    enabled: chosen !== "",
  });
  const [picked, setPicked] = useState<number[]>([]);
  const [dataset, setDataset] = useState("");
  const [limit, setLimit] = useState("20");
  const defaultDataset = setup.data?.programs.find((p) => p.name === chosen)?.defaultDatasetVersionId ?? setup.data?.datasetVersions[0]?.id ?? "";
  const launch = useMutation({
    mutationFn: () => callApi(routes.createExperiment, { body: { program: chosen, versions: picked, datasetVersionId: dataset || defaultDataset, limit: Number(limit) } }),
    onSuccess: (e) => router.push(`/experiments/${e.id}`),
  });
  const fields = launch.error instanceof ApiError ? launch.error.fields : {};
  const versionsError = Object.entries(fields).find(([f]) => f.startsWith("versions"))?.[1];
  const toggle = (n: number) => setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : [...p, n]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    launch.mutate();
  };

  return (
    <Card>
      <CardHeader title="New experiment" description="Run two or more versions on the same examples and compare them example by example. The first version you tick is the baseline." />
      <CardBody>
        {setup.error ? (
          <p role="alert" className="text-sm text-bad">
            Could not load the programs: {setup.error.message}
          </p>
        ) : (
          <form onSubmit={submit} noValidate data-testid="experiment-form" className="grid gap-4 md:grid-cols-2">
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Program
              <select
                className={SELECT}
                value={chosen}
                aria-invalid={fields.program !== undefined}
                onChange={(e) => {
                  setProgram(e.target.value);
                  setPicked([]);
                }}
              >
                {programs.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </select>
              {fields.program && <span className="text-bad">{fields.program}</span>}
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Dataset version
              <select className={SELECT} value={dataset || defaultDataset} aria-invalid={fields.datasetVersionId !== undefined} onChange={(e) => setDataset(e.target.value)}>
                {(setup.data?.datasetVersions ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.datasetName} v{d.number} ({d.exampleCount} examples)
                  </option>
                ))}
              </select>
              {(fields.datasetVersionId ?? fields.split) && <span className="text-bad">{fields.datasetVersionId ?? fields.split}</span>}
            </label>
            <fieldset className="flex flex-col gap-1 md:col-span-2">
              <legend className="text-xs font-medium text-muted">Versions to compare</legend>
              <div className="flex flex-wrap gap-3" data-testid="experiment-versions">
                {(versions.data?.items ?? []).map((v) => (
                  <label key={v.id} className="flex items-center gap-1.5 text-sm">
                    <input type="checkbox" checked={picked.includes(v.number)} onChange={() => toggle(v.number)} />v{v.number}
                    {v.active ? " (active)" : ""}
                    {picked[0] === v.number ? " · baseline" : ""}
                  </label>
                ))}
              </div>
              {versionsError && <span className="text-xs text-bad">{versionsError}</span>}
            </fieldset>
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Examples (at most)
              <input className={SELECT} inputMode="numeric" value={limit} aria-invalid={fields.limit !== undefined} onChange={(e) => setLimit(e.target.value)} />
              {fields.limit && <span className="text-bad">{fields.limit}</span>}
            </label>
            <div className="flex items-end gap-3">
              <button type="submit" className={btnPrimary} disabled={launch.isPending || chosen === ""}>
                Run experiment
              </button>
              {launch.error && Object.keys(fields).length === 0 && (
                <span role="alert" className="text-sm text-bad">
                  {launch.error.message}
                </span>
              )}
            </div>
          </form>
        )}
      </CardBody>
    </Card>
  );
}
