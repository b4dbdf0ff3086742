"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Upload, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { MAX_IMPORT_CONTENT_CHARS, type ImportDatasetBody } from "@/lib/schemas";
import { csvHeader, defaultKind, fieldName, mappingOf, splitImportErrors, type ColumnKind, type RowError } from "./import-errors";
import { btn, btnPrimary, fieldError, input, label, td, th } from "./styles";

interface FileState {
  readonly name: string;
  readonly text: string;
  readonly format: "jsonl" | "csv";
}

/** "Import dataset": a JSONL or CSV file, a name, for CSV where each column goes; bad rows listed one by one. */
export function ImportDialog({ defaultName = "" }: { defaultName?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={btnPrimary} data-testid="import-dataset">
          <Upload className="size-4" aria-hidden /> Import
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[min(720px,calc(100vw-1.5rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-border bg-card p-5 shadow-xl">
          <div className="mb-4 flex items-start justify-between gap-3">
            <div>
              <Dialog.Title className="text-base font-semibold">Import a dataset file</Dialog.Title>
              <Dialog.Description className="mt-1 text-xs text-muted">
                JSONL: one object per line, {"{"}&quot;inputs&quot;: {"{...}"}, &quot;outputs&quot;: {"{...}"}, &quot;split&quot;: &quot;train&quot;{"}"}. CSV: a header row. Every
                row is checked; a file with any bad row imports nothing, and each bad row is listed.
              </Dialog.Description>
            </div>
            <Dialog.Close className={btn} aria-label="Close">
              <X className="size-4" aria-hidden />
            </Dialog.Close>
          </div>
          <ImportForm defaultName={defaultName} onDone={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function ImportForm({ defaultName, onDone }: { defaultName: string; onDone: () => void }) {
  const ids = useId();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(defaultName);
  const [programName, setProgramName] = useState("");
  const [file, setFile] = useState<FileState | null>(null);
  const [kinds, setKinds] = useState<Record<string, ColumnKind>>({});
  const [rowErrors, setRowErrors] = useState<{ rows: RowError[]; message: string } | null>(null);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const columns = file?.format === "csv" ? csvHeader(file.text) : [];

  const mutation = useMutation({
    mutationFn: (body: ImportDatasetBody) => callApi(routes.importDataset, { body }),
    onSuccess: (res) => {
      toast.success(`Imported ${res.version.exampleCount} examples into ${res.dataset.name} (v${res.version.number})`);
      void queryClient.invalidateQueries({ queryKey: ["datasets"] });
      onDone();
      router.refresh();
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) {
        setFormErrors({ file: err instanceof Error ? err.message : String(err) });
        return;
      }
      const { rows, form } = splitImportErrors(err.fields);
      setRowErrors(rows.length > 0 ? { rows, message: err.message } : null);
      setFormErrors(rows.length > 0 || Object.keys(form).length > 0 ? form : { file: err.message });
    },
  });

  async function onFile(f: File | undefined) {
    setRowErrors(null);
    setFormErrors({});
    if (!f) return setFile(null);
    if (f.size > MAX_IMPORT_CONTENT_CHARS) {
      setFormErrors({ file: `the file is ${Math.round(f.size / 1e6)} MB; at most ${MAX_IMPORT_CONTENT_CHARS / 1e6} MB can be imported at once` });
      return setFile(null);
    }
    const format = /\.csv$/i.test(f.name) ? "csv" : "jsonl";
    setFile({ name: f.name, text: await f.text(), format });
    setKinds({});
    if (!name) setName(f.name.replace(/\.[^.]+$/, "").toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, ""));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setFormErrors({ file: "choose a .jsonl or .csv file" });
    setRowErrors(null);
    setFormErrors({});
    mutation.mutate({
      name,
      format: file.format,
      content: file.text,
      ...(programName.trim() && { programName: programName.trim() }),
      ...(file.format === "csv" && columns.length > 0 && { mapping: mappingOf(columns, kinds) }),
    });
  }

  const err = (key: string) => formErrors[key] && <p className={fieldError} id={`${ids}-${key}-error`}>{formErrors[key]}</p>;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div>
        <label className={label} htmlFor={`${ids}-file`}>File (.jsonl or .csv)</label>
        <input id={`${ids}-file`} type="file" accept=".jsonl,.json,.ndjson,.csv,text/csv" className={`${input} mt-1`} onChange={(e) => void onFile(e.target.files?.[0])} aria-describedby={`${ids}-file-error`} />
        {file && <p className="mt-1 text-xs text-muted">{file.name}: {file.format.toUpperCase()}, {file.text.length.toLocaleString()} characters</p>}
        {err("file")}
        {err("content")}
        {err("format")}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label className={label} htmlFor={`${ids}-name`}>Dataset name</label>
          <input id={`${ids}-name`} className={`${input} mt-1`} value={name} onChange={(e) => setName(e.target.value)} placeholder="support-tickets" aria-invalid={!!formErrors.name} aria-describedby={`${ids}-name-error`} />
          <p className="mt-1 text-xs text-muted">An existing dataset gets a new version.</p>
          {err("name")}
        </div>
        <div>
          <label className={label} htmlFor={`${ids}-program`}>Check rows against a program (optional)</label>
          <input id={`${ids}-program`} className={`${input} mt-1`} value={programName} onChange={(e) => setProgramName(e.target.value)} placeholder="qa" aria-describedby={`${ids}-programName-error`} />
          {err("programName")}
        </div>
      </div>
      {file?.format === "csv" && columns.length > 0 && (
        <fieldset>
          <legend className={label}>Where each column goes</legend>
          <div className="mt-1 overflow-x-auto rounded-md border border-border">
            <table className="w-full text-sm">
              <thead className="bg-subtle"><tr><th className={th}>Column</th><th className={th}>Goes to</th><th className={th}>Field</th></tr></thead>
              <tbody>
                {columns.map((c) => {
                  const kind = kinds[c] ?? defaultKind(c);
                  return (
                    <tr key={c} className="border-t border-border">
                      <td className={`${td} font-mono text-xs`}>{c}</td>
                      <td className={td}>
                        <select aria-label={`Target of column ${c}`} className={input} value={kind} onChange={(e) => setKinds({ ...kinds, [c]: e.target.value as ColumnKind })}>
                          <option value="input">input</option>
                          <option value="output">output</option>
                          <option value="split">split</option>
                          <option value="ignore">ignore</option>
                        </select>
                      </td>
                      <td className={`${td} font-mono text-xs text-muted`}>{kind === "input" || kind === "output" ? `${kind}.${fieldName(c)}` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </fieldset>
      )}
      {rowErrors && <RowErrorTable errors={rowErrors} />}
      <div className="flex justify-end gap-2">
        <Dialog.Close className={btn} type="button">Cancel</Dialog.Close>
        <button type="submit" className={btnPrimary} disabled={mutation.isPending}>{mutation.isPending ? "Importing…" : "Import"}</button>
      </div>
    </form>
  );
}

function RowErrorTable({ errors }: { errors: { rows: RowError[]; message: string } }) {
  return (
    <div role="alert" data-testid="import-row-errors" className="rounded-md border border-bad/50">
      <p className="px-3 py-2 text-sm text-bad">{errors.message}</p>
      <div className="max-h-64 overflow-y-auto">
        <table className="w-full text-sm">
          <thead className="sticky top-0 bg-subtle"><tr><th className={th}>Row (line)</th><th className={th}>Field</th><th className={th}>Problem</th></tr></thead>
          <tbody>
            {errors.rows.map((r, i) => (
              <tr key={i} className="border-t border-border">
                <td className={`${td} tabular-nums`}>{r.line}</td>
                <td className={`${td} font-mono text-xs`}>{r.field || "(whole row)"}</td>
                <td className={td}>{r.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
