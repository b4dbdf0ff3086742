"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useSessionUser } from "@/components/shell/user-menu";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { type BudgetWire } from "@/lib/schemas";
import { btn, btnPrimary, fieldError, input } from "../datasets/styles";
import { BudgetForm } from "./budget-form";
import { usd } from "./format";

const PERIOD = { day: "today", month: "this month", total: "all time" } as const;

/** Budgets with spent/limit bars; administrators add, change and delete them. */
export function BudgetsCard() {
  const { data, error, isPending } = useQuery({ queryKey: ["costs", "budgets"], queryFn: ({ signal }) => callApi(routes.listBudgets, { query: { limit: 100 }, signal }) });
  const { user, isLoading: userLoading } = useSessionUser();
  // Changing budgets is for administrators only (the API answers 403 otherwise), so members see them read-only.
  const canEdit = user?.role === "admin";
  return (
    <Card>
      <CardHeader title="Budgets and quotas" description="Spending stops for a scope once its window reaches the limit (checked before each LM call). Windows are UTC." />
      <CardBody className="space-y-4">
        {error && <p className="text-sm text-bad">Could not load budgets: {error.message}</p>}
        {isPending ? (
          <p className="text-sm text-muted" aria-busy>Loading budgets…</p>
        ) : data && data.items.length === 0 ? (
          <p className="text-sm text-muted">{canEdit ? "No budgets yet: add one below to cap spending per day, per month or in all." : "No budgets yet: an administrator can add them to cap spending."}</p>
        ) : (
          <ul className="divide-y divide-border" data-testid="budgets-list">
            {data?.items.map((b) => <BudgetRow key={b.id} budget={b} canEdit={canEdit} />)}
          </ul>
        )}
        {canEdit ? (
          <BudgetForm />
        ) : (
          !userLoading && <p className="text-xs text-muted" data-testid="budgets-read-only">Only administrators can add, change or delete budgets.</p>
        )}
      </CardBody>
    </Card>
  );
}

function BudgetRow({ budget: b, canEdit }: { budget: BudgetWire; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [limit, setLimit] = useState(String(b.limitUsd));
  const [fieldErr, setFieldErr] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["costs"] });
  const update = useMutation({
    mutationFn: () => callApi(routes.updateBudget, { params: { id: b.id }, body: { limitUsd: limit } }),
    onSuccess: () => {
      setEditing(false);
      toast.success("Budget changed");
      void refresh();
    },
    onError: (err) => setFieldErr(err instanceof ApiError ? (err.fields.limitUsd ?? err.message) : err.message),
  });
  const remove = useMutation({
    mutationFn: () => callApi(routes.deleteBudget, { params: { id: b.id } }),
    onSuccess: () => {
      toast.success("Budget deleted");
      void refresh();
    },
    onError: (err) => toast.error(err.message),
  });
  const share = b.limitUsd > 0 ? Math.min(1, b.spentUsd / b.limitUsd) : 1;
  const tone = b.exhausted ? "bg-bad" : share >= 0.8 ? "bg-warn" : "bg-ok";
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFieldErr(null);
    update.mutate();
  };
  return (
    <li className="py-3" data-testid="budget-row">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <span className="font-medium">{b.label}</span>
          <span className="text-sm text-muted"> · {b.scope === "global" ? "global" : b.scope} · {b.period === "total" ? "all time" : `per ${b.period}`}</span>
        </div>
        <div className="flex items-center gap-2">
          <span className="text-sm tabular-nums">
            {usd(b.spentUsd)} <span className="text-muted">of {usd(b.limitUsd)} {PERIOD[b.period]}</span>
          </span>
          {canEdit && (
            <>
              <button type="button" className={btn} onClick={() => setEditing((v) => !v)} aria-label={`Edit budget ${b.label}`}><Pencil className="size-3.5" aria-hidden /></button>
              <button type="button" className={btn} disabled={remove.isPending} onClick={() => window.confirm(`Delete the ${b.period} budget of ${b.label}?`) && remove.mutate()} aria-label={`Delete budget ${b.label}`}>
                <Trash2 className="size-3.5" aria-hidden />
              </button>
            </>
          )}
        </div>
      </div>
      <div className="mt-2 h-2 rounded-full bg-subtle" role="progressbar" aria-label={`Spent of ${b.label}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(share * 100)} data-testid="budget-bar">
        <div className={`h-2 rounded-full ${tone}`} style={{ width: `${Math.max(share * 100, b.spentUsd > 0 ? 1 : 0)}%` }} />
      </div>
      {b.exhausted && <p className="mt-1 text-xs text-bad">Spent: LM calls in this scope are refused until the window resets or the limit is raised.</p>}
      {canEdit && editing && (
        <form onSubmit={submit} className="mt-2 flex flex-wrap items-start gap-2" noValidate>
          <div>
            <label className="sr-only" htmlFor={`limit-${b.id}`}>New limit (USD)</label>
            <input id={`limit-${b.id}`} className={`${input} w-32`} inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} aria-invalid={!!fieldErr} />
            {fieldErr && <p className={fieldError}>{fieldErr}</p>}
          </div>
          <button type="submit" className={btnPrimary} disabled={update.isPending}>Save limit</button>
          <button type="button" className={btn} onClick={() => setEditing(false)}>Cancel</button>
        </form>
      )}
    </li>
  );
}
