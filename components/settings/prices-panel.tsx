"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Info, Plus, Search, Tags, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Card, CardBody, CardHeader, EmptyState } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { CreatePriceBodySchema, type PriceRow } from "@/lib/schemas";
import { Button, CELL, ConfirmDialog, DataTable, FormError, Loading, Modal, SelectField, TextField, when } from "./controls";
import { Pager } from "./pager";
import { applyServerErrors, errorMessage } from "./server-errors";

const LIMIT = 25;
type FormValues = z.input<typeof CreatePriceBodySchema>;
const FIELDS = ["pattern", "provider", "input", "output", "cachedInput", "cacheWrite", "reasoning", "validFrom"] as const;
const ORIGIN_LABEL: Record<PriceRow["origin"], string> = { override: "Override", builtin: "Built-in", seed: "Seed" };

function OverrideForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const form = useForm<FormValues>({
    resolver: zodResolver(CreatePriceBodySchema),
    defaultValues: { pattern: "", provider: "", input: "", output: "", cachedInput: "", cacheWrite: "", reasoning: "", validFrom: "" },
    mode: "onTouched",
  });
  const { errors, isSubmitting } = form.formState;
  const msg = (name: (typeof FIELDS)[number]) => errors[name]?.message;
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      const raw = form.getValues();
      // The date input gives local time without a zone; send it as an instant.
      const validFrom = typeof raw.validFrom === "string" && raw.validFrom !== "" ? new Date(raw.validFrom).toISOString() : undefined;
      const row = await callApi(routes.createPriceOverride, { body: { ...raw, validFrom, pattern: values.pattern } });
      toast.success(`Override for ${row.pattern} stored`);
      await queryClient.invalidateQueries({ queryKey: ["settings", "prices"] });
      onDone();
    } catch (err) {
      setFormError(applyServerErrors(form, err, [...FIELDS]));
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Add a price override">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id="price-pattern" label="Model pattern (regular expression)" placeholder="^gpt-4o-mini" error={msg("pattern")} {...form.register("pattern")} />
        <TextField id="price-provider" label="Provider (optional)" placeholder="any; e.g. openai, custom" error={msg("provider")} {...form.register("provider")} />
        <TextField id="price-input" label="Input $/1M tokens" inputMode="decimal" placeholder="0.15" error={msg("input")} {...form.register("input")} />
        <TextField id="price-output" label="Output $/1M tokens" inputMode="decimal" placeholder="0.60" error={msg("output")} {...form.register("output")} />
        <TextField id="price-cached" label="Cached input $/1M (optional)" inputMode="decimal" placeholder="= input" error={msg("cachedInput")} {...form.register("cachedInput")} />
        <TextField id="price-cache-write" label="Cache write $/1M (optional)" inputMode="decimal" placeholder="= input" error={msg("cacheWrite")} {...form.register("cacheWrite")} />
        <TextField id="price-reasoning" label="Reasoning $/1M (optional)" inputMode="decimal" placeholder="= output" error={msg("reasoning")} {...form.register("reasoning")} />
        <TextField id="price-valid-from" label="Valid from (optional)" type="datetime-local" hint="Default: now" error={msg("validFrom")} {...form.register("validFrom")} />
      </div>
      <FormError message={formError} />
      <div className="flex justify-end gap-2">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Store override"}
        </Button>
      </div>
    </form>
  );
}

function PriceLookup() {
  const [model, setModel] = useState("");
  const [asked, setAsked] = useState<string>();
  const query = useQuery({
    queryKey: ["settings", "prices", "lookup", asked],
    queryFn: ({ signal }) => callApi(routes.lookupPrice, { query: { model: asked ?? "" }, signal }),
    enabled: asked !== undefined,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (model.trim() !== "") setAsked(model.trim());
  };
  const row = query.data?.charged;
  return (
    <form onSubmit={submit} className="space-y-2" aria-label="Which price applies">
      <div className="flex items-end gap-2">
        <TextField id="price-lookup-model" label="Which price applies to a model?" placeholder="e.g. gpt-4o-mini-2024-07-18" value={model} onChange={(e) => setModel(e.target.value)} className="flex-1" />
        <Button type="submit">Look up</Button>
      </div>
      {query.error && <FormError message={errorMessage(query.error)} />}
      {query.data && (
        <p className="text-sm" data-testid="price-lookup-result" role="status">
          {row ? (
            <>
              <span className="font-mono">{query.data.model}</span> is charged by the {ORIGIN_LABEL[row.origin].toLowerCase()} entry <span className="font-mono">{row.pattern}</span>: ${row.input} in / ${row.output} out per 1M tokens.
            </>
          ) : (
            <>
              <span className="font-mono">{query.data.model}</span> has no price: its calls cost $0 and are flagged as unpriced.
            </>
          )}
          {query.data.override && row?.origin !== "override" && (
            <> A stored override (<span className="font-mono">{query.data.override.pattern}</span>) matches but is not applied (it may start later).</>
          )}
        </p>
      )}
    </form>
  );
}

export function PricesPanel({ isAdmin }: { isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [origin, setOrigin] = useState<"" | PriceRow["origin"]>("");
  const [search, setSearch] = useState("");
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<PriceRow>();
  const query = useQuery({
    queryKey: ["settings", "prices", "list", { page, origin, search: search.trim() }],
    queryFn: ({ signal }) => callApi(routes.listPrices, { query: { page, limit: LIMIT, ...(origin && { origin }), ...(search.trim() && { search: search.trim() }) }, signal }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (id: string) => callApi(routes.deletePriceOverride, { params: { id } }),
    onSuccess: async () => {
      toast.success("Override deleted");
      setDeleting(undefined);
      await queryClient.invalidateQueries({ queryKey: ["settings", "prices"] });
    },
    onError: (err) => toast.error(errorMessage(err)),
  });
  const data = query.data;

  return (
    <Card>
      <CardHeader
        title="Price table"
        description="USD per million tokens. A lookup tries overrides, then DSPEx's built-in prices, then the maintained seed."
        action={
          isAdmin && (
            <Button variant="primary" onClick={() => setAdding(true)}>
              <Plus aria-hidden className="size-4" />
              Add override
            </Button>
          )
        }
      />
      <CardBody className="space-y-4">
        {data && !data.overridesApplied ? (
          <p className="flex gap-2 rounded-md border border-warn/40 bg-warn/10 px-3 py-2 text-xs text-warn" data-testid="overrides-note">
            <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
            <span>Overrides are stored and listed here but not applied: this server prices calls with the built-in and seed prices only.</span>
          </p>
        ) : (
          <p className="flex gap-2 rounded-md border border-border bg-subtle px-3 py-2 text-xs text-muted" data-testid="overrides-note">
            <Info aria-hidden className="mt-0.5 size-4 shrink-0" />
            <span>Overrides apply to every call from the moment they are valid (a later override wins); built-in DSPEx prices come next, then the maintained seed.</span>
          </p>
        )}
        <PriceLookup />
        <div className="flex flex-wrap items-end gap-3">
          <div className="relative min-w-48 flex-1">
            <label htmlFor="price-search" className="block text-xs font-medium">
              Search pattern or provider
            </label>
            <Search aria-hidden className="pointer-events-none absolute bottom-2 left-2.5 size-4 text-muted" />
            <input
              id="price-search"
              type="search"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setPage(1);
              }}
              placeholder="e.g. gpt-4o, anthropic"
              className="mt-1 w-full rounded-md border border-border bg-bg py-1.5 pl-8 pr-3 text-sm outline-none focus:ring-2 focus:ring-accent"
            />
          </div>
          <SelectField
            id="price-origin"
            label="Origin"
            className="w-40"
            value={origin}
            onChange={(e) => {
              setOrigin(e.target.value as typeof origin);
              setPage(1);
            }}
            options={[
              { value: "", label: "All" },
              { value: "override", label: "Overrides" },
              { value: "builtin", label: "Built-in" },
              { value: "seed", label: "Seed" },
            ]}
          />
        </div>
        {data?.seed.error && <FormError message={`The seed prices could not be loaded: ${data.seed.error}`} />}
      </CardBody>
      {query.isLoading ? (
        <Loading what="prices" />
      ) : query.error ? (
        <CardBody>
          <FormError message={errorMessage(query.error)} />
        </CardBody>
      ) : data && data.items.length === 0 ? (
        <CardBody>
          <EmptyState icon={Tags} title="No prices match">
            {isAdmin ? "Change the search, or add an override for the model." : "Change the search."}
          </EmptyState>
        </CardBody>
      ) : (
        <>
          <DataTable label="Model prices" testId="prices-table" head={["Origin", "Pattern", "Provider", "Input", "Cached in", "Cache write", "Output", "Reasoning", "Valid from", ""]}>
            {data?.items.map((r, i) => (
              <tr key={r.id ?? `${r.origin}-${r.provider}-${r.pattern}-${i}`} className="border-b border-border last:border-0" data-testid="price-row" data-origin={r.origin}>
                <td className={CELL}>
                  <span className={`rounded px-1.5 py-0.5 text-xs ${r.origin === "override" ? "bg-accent/15 text-accent" : "bg-subtle text-muted"}`}>{ORIGIN_LABEL[r.origin]}</span>
                </td>
                <td className={`${CELL} max-w-64 break-all font-mono text-xs`} title={r.note ?? r.source ?? undefined}>
                  {r.pattern}
                </td>
                <td className={CELL}>{r.provider || "any"}</td>
                <td className={`${CELL} tabular-nums`}>${r.input}</td>
                <td className={`${CELL} tabular-nums text-muted`}>{r.cachedInput ? `$${r.cachedInput}` : "= input"}</td>
                <td className={`${CELL} tabular-nums text-muted`}>{r.cacheWrite ? `$${r.cacheWrite}` : "= input"}</td>
                <td className={`${CELL} tabular-nums`}>${r.output}</td>
                <td className={`${CELL} tabular-nums text-muted`}>{r.reasoning ? `$${r.reasoning}` : "= output"}</td>
                <td className={`${CELL} whitespace-nowrap`}>{r.validFrom ? when(r.validFrom) : "—"}</td>
                <td className={`${CELL} text-right`}>
                  {isAdmin && r.origin === "override" && r.id && (
                    <Button variant="danger" onClick={() => setDeleting(r)} aria-label={`Delete override ${r.pattern}`}>
                      <Trash2 aria-hidden className="size-4" />
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          {data && <Pager page={page} limit={LIMIT} total={data.total} onPage={setPage} />}
          {data?.seed.version && <p className="px-3 pb-3 text-xs text-muted">Seed: {data.seed.version}</p>}
        </>
      )}
      <Modal open={adding} onOpenChange={setAdding} title="Add a price override" description="Overrides win over built-in and seed prices for models whose name matches the pattern.">
        {adding && <OverrideForm onDone={() => setAdding(false)} />}
      </Modal>
      <ConfirmDialog
        open={deleting !== undefined}
        onOpenChange={(open) => !open && setDeleting(undefined)}
        title={`Delete the override ${deleting?.pattern ?? ""}?`}
        description="The built-in or seed price applies to these models again."
        confirmLabel="Delete override"
        busy={remove.isPending}
        onConfirm={() => deleting?.id && remove.mutate(deleting.id)}
      />
    </Card>
  );
}
