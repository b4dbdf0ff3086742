"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { CreateBudgetSchema } from "@/lib/schemas";
import { btnPrimary, fieldError, input, label } from "../datasets/styles";

type FormIn = z.input<typeof CreateBudgetSchema>;
type FormOut = z.output<typeof CreateBudgetSchema>;
const FIELDS = ["scope", "scopeId", "period", "limitUsd"] as const;

/** New budget: what it limits (everything, a program, an API key, an optimization), the period and the limit. */
export function BudgetForm() {
  const ids = useId();
  const queryClient = useQueryClient();
  const targets = useQuery({ queryKey: ["costs", "budget-targets"], queryFn: ({ signal }) => callApi(routes.listBudgetTargets, { signal }) });
  const { register, handleSubmit, control, setError, reset, formState: { errors } } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(CreateBudgetSchema),
    defaultValues: { scope: "global", scopeId: "", period: "month", limitUsd: "" },
  });
  const scope = useWatch({ control, name: "scope" });
  const mutation = useMutation({
    mutationFn: (body: FormOut) => callApi(routes.createBudget, { body }),
    onSuccess: (b) => {
      toast.success(`Budget created: ${b.label}, ${b.period}`);
      reset({ scope: "global", scopeId: "", period: "month", limitUsd: "" });
      void queryClient.invalidateQueries({ queryKey: ["costs"] });
    },
    onError: (err) => {
      const fields = err instanceof ApiError ? err.fields : {};
      let placed = false;
      for (const f of FIELDS) {
        if (fields[f]) {
          setError(f, { message: fields[f] });
          placed = true;
        }
      }
      if (!placed) setError("root", { message: err.message });
    },
  });
  const options = scope === "program" ? targets.data?.programs : scope === "apiKey" ? targets.data?.apiKeys.map((k) => ({ id: k.id, name: `${k.name} (${k.prefix})` })) : targets.data?.optimizations;
  const msg = (f: (typeof FIELDS)[number]) => errors[f]?.message && <p className={fieldError} id={`${ids}-${f}-error`}>{errors[f]?.message}</p>;

  return (
    <form onSubmit={handleSubmit((v) => mutation.mutate(v))} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto] lg:items-start" noValidate data-testid="budget-form">
      <div>
        <label className={label} htmlFor={`${ids}-scope`}>Limits</label>
        <select id={`${ids}-scope`} className={`${input} mt-1`} {...register("scope")}>
          <option value="global">All spending</option>
          <option value="program">A program</option>
          <option value="apiKey">An API key</option>
          <option value="optimization">An optimization</option>
        </select>
        {msg("scope")}
      </div>
      <div>
        <label className={label} htmlFor={`${ids}-scopeId`}>Which</label>
        <select id={`${ids}-scopeId`} className={`${input} mt-1`} disabled={scope === "global"} aria-invalid={!!errors.scopeId} aria-describedby={`${ids}-scopeId-error`} {...register("scopeId")}>
          <option value="">{scope === "global" ? "—" : "Choose…"}</option>
          {scope !== "global" && options?.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
        </select>
        {msg("scopeId")}
      </div>
      <div>
        <label className={label} htmlFor={`${ids}-period`}>Period</label>
        <select id={`${ids}-period`} className={`${input} mt-1`} {...register("period")}>
          <option value="day">Per day (UTC)</option>
          <option value="month">Per month (UTC)</option>
          <option value="total">All time</option>
        </select>
        {msg("period")}
      </div>
      <div>
        <label className={label} htmlFor={`${ids}-limit`}>Limit (USD)</label>
        <input id={`${ids}-limit`} className={`${input} mt-1`} inputMode="decimal" placeholder="25.00" aria-invalid={!!errors.limitUsd} aria-describedby={`${ids}-limitUsd-error`} {...register("limitUsd")} />
        {msg("limitUsd")}
      </div>
      <div className="lg:pt-5">
        <button type="submit" className={btnPrimary} disabled={mutation.isPending}>{mutation.isPending ? "Saving…" : "Add budget"}</button>
      </div>
      {errors.root?.message && <p className={`${fieldError} sm:col-span-2 lg:col-span-5`}>{errors.root.message}</p>}
    </form>
  );
}
