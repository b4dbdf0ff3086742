"use client";

import { DatabaseZap } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { type AddRunToDatasetResponse } from "@/lib/schemas";

const INPUT = "h-8 rounded-md border border-border bg-card px-2 text-sm focus-visible:outline-2";

/**
 * "Add to dataset": the run's input becomes an example whose expected answer is the run's output,
 * or the JSON a person writes instead.
 */
export function AddToDataset({ runId, output }: { runId: string; output?: unknown }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [datasetName, setDatasetName] = useState("");
  const [split, setSplit] = useState<"train" | "validation" | "test">("train");
  const [expected, setExpected] = useState(() => (output && typeof output === "object" ? JSON.stringify(output, null, 2) : ""));
  const [datasets, setDatasets] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<AddRunToDatasetResponse | null>(null);

  const show = () => {
    setOpen(true);
    setAdded(null);
    callApi(routes.listDatasets, { query: { limit: 100 } }).then(
      (page) => setDatasets(page.items.map((d) => d.name)),
      () => setDatasets([]),
    );
  };

  const submit = async () => {
    setError(null);
    let outputs: Record<string, unknown> | undefined;
    if (expected.trim()) {
      try {
        const parsed: unknown = JSON.parse(expected);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
        outputs = parsed as Record<string, unknown>;
      } catch {
        setError('The expected output must be a JSON object, e.g. {"answer": "..."}');
        return;
      }
    }
    setBusy(true);
    try {
      const result = await callApi(routes.addRunToDataset, { params: { id: runId }, body: { datasetName, split, ...(outputs && { outputs }) } });
      setAdded(result);
      setOpen(false);
    } catch (err) {
      setError(err instanceof ApiError ? Object.values(err.fields)[0] ?? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-flex flex-col items-start gap-2" data-testid="add-to-dataset">
      {!open && (
        <button type="button" onClick={show} className="inline-flex h-8 items-center gap-1.5 rounded-md border border-border bg-card px-2.5 text-sm hover:bg-subtle">
          <DatabaseZap aria-hidden className="size-4" /> Add to dataset
        </button>
      )}
      {added && (
        <p role="status" className="text-sm text-ok" data-testid="added-to-dataset">
          Added as example {added.exampleCount} of{" "}
          <Link className="underline" href={`/datasets/${added.datasetName}`}>
            {added.datasetName}
          </Link>{" "}
          v{added.versionNumber}
          {added.createdDataset ? " (new dataset)" : ""}
        </p>
      )}
      {open && (
        <form
          aria-label="Add this run to a dataset"
          className="flex w-full max-w-xl flex-col gap-2 rounded-md border border-border bg-card p-3"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <div className="flex flex-wrap gap-2">
            <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-ds`}>
              Dataset (an existing one, or a new name)
              <input id={`${id}-ds`} list={`${id}-list`} required className={INPUT} value={datasetName} onChange={(e) => setDatasetName(e.target.value)} placeholder="support-tickets" />
              <datalist id={`${id}-list`}>
                {datasets.map((d) => (
                  <option key={d} value={d} />
                ))}
              </datalist>
            </label>
            <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-split`}>
              Split
              <select id={`${id}-split`} className={INPUT} value={split} onChange={(e) => setSplit(e.target.value as typeof split)}>
                <option value="train">train</option>
                <option value="validation">validation</option>
                <option value="test">test</option>
              </select>
            </label>
          </div>
          <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-out`}>
            Expected output (JSON object; empty: the run&apos;s own output)
            <textarea id={`${id}-out`} rows={4} className="rounded-md border border-border bg-card p-2 font-mono text-xs" value={expected} onChange={(e) => setExpected(e.target.value)} />
          </label>
          {error && (
            <p role="alert" className="text-sm text-bad">
              {error}
            </p>
          )}
          <div className="flex gap-2">
            <button type="submit" disabled={busy || !datasetName.trim()} className="h-8 rounded-md bg-accent px-3 text-sm font-medium text-accent-fg disabled:opacity-50">
              {busy ? "Adding…" : "Add example"}
            </button>
            <button type="button" onClick={() => setOpen(false)} className="h-8 rounded-md border border-border px-3 text-sm hover:bg-subtle">
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
