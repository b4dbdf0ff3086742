"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Shuffle, X } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { toast } from "sonner";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { type DatasetVersionWire } from "@/lib/schemas";
import { btn, btnPrimary, fieldError, input, label } from "./styles";

/** "Split": re-splits a version's examples at random (seeded) into a new version. */
export function SplitDialog({ version, onCreated }: { version: DatasetVersionWire; onCreated: (v: DatasetVersionWire) => void }) {
  const ids = useId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ validationFraction: "0.2", testFraction: "0.1", seed: "0" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useMutation({
    mutationFn: () =>
      callApi(routes.splitDatasetVersion, {
        params: { name: version.datasetName, versionId: version.id },
        body: { validationFraction: Number(values.validationFraction), testFraction: Number(values.testFraction), seed: Number(values.seed) },
      }),
    onSuccess: (created) => {
      toast.success(`Created v${created.number}: ${created.splits.train} train, ${created.splits.validation} validation, ${created.splits.test} test`);
      void queryClient.invalidateQueries({ queryKey: ["datasets"] });
      setOpen(false);
      onCreated(created);
    },
    onError: (err) => setErrors(err instanceof ApiError && Object.keys(err.fields).length > 0 ? err.fields : { form: err.message }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    mutation.mutate();
  };
  const field = (key: keyof typeof values, text: string, hint: string) => (
    <div>
      <label className={label} htmlFor={`${ids}-${key}`}>{text}</label>
      <input id={`${ids}-${key}`} className={`${input} mt-1`} inputMode="decimal" value={values[key]} onChange={(e) => setValues({ ...values, [key]: e.target.value })} aria-invalid={!!errors[key]} aria-describedby={`${ids}-${key}-hint`} />
      <p id={`${ids}-${key}-hint`} className="mt-1 text-xs text-muted">{hint}</p>
      {errors[key] && <p className={fieldError}>{errors[key]}</p>}
    </div>
  );
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={btn} data-testid="split-version">
          <Shuffle className="size-4" aria-hidden /> Split
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(440px,calc(100vw-1.5rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg border border-border bg-card p-5 shadow-xl">
          <div className="mb-4 flex items-start justify-between gap-3">
            <div>
              <Dialog.Title className="text-base font-semibold">Split v{version.number}</Dialog.Title>
              <Dialog.Description className="mt-1 text-xs text-muted">
                Shuffles the {version.exampleCount} examples with the seed and writes a new version; v{version.number} stays as it is.
              </Dialog.Description>
            </div>
            <Dialog.Close className={btn} aria-label="Close"><X className="size-4" aria-hidden /></Dialog.Close>
          </div>
          <form onSubmit={submit} className="space-y-3" noValidate>
            {field("validationFraction", "Validation fraction", "0 to 0.9, e.g. 0.2 for 20%")}
            {field("testFraction", "Test fraction", "0 to 0.9; the two together below 1")}
            {field("seed", "Seed", "The same seed gives the same split")}
            {errors.form && <p className={fieldError}>{errors.form}</p>}
            <div className="flex justify-end gap-2">
              <Dialog.Close className={btn} type="button">Cancel</Dialog.Close>
              <button type="submit" className={btnPrimary} disabled={mutation.isPending}>{mutation.isPending ? "Splitting…" : "Create split version"}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
