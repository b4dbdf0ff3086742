"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Pause, Play, Rocket } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { api, ApiError } from "@/lib/client/api";
import { ApplyOptimizationResponseSchema, OptimizationSchema } from "@/lib/schemas";
import { detailKey, type OptimizationDetail } from "./live-data";

const button = "inline-flex items-center gap-1.5 rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-subtle disabled:cursor-not-allowed disabled:opacity-50";

/** Stop, Resume and "Apply best as new version" for one optimization. */
export function RunActions({ o }: { o: OptimizationDetail }) {
  const qc = useQueryClient();
  const [applied, setApplied] = useState<string | null>(null);
  const path = `/api/v1/optimizations/${encodeURIComponent(o.id)}`;
  const onError = (err: unknown) => toast.error(err instanceof ApiError ? err.message : "the request failed");
  const change = useMutation({
    mutationFn: (action: "stop" | "resume") => api(`${path}/${action}`, OptimizationSchema, { method: "POST" }),
    onSuccess: (next) => qc.setQueryData<OptimizationDetail>(detailKey(o.id), (prev) => prev && { ...prev, ...next }),
    onError,
  });
  const apply = useMutation({
    mutationFn: () => api(`${path}/apply`, ApplyOptimizationResponseSchema, { method: "POST" }),
    onSuccess: (r) => {
      const text = `Version ${r.versionNumber} of ${r.programName} is now the active version.`;
      setApplied(text);
      toast.success(text);
    },
    onError,
  });
  const canStop = o.status === "queued" || o.status === "running";
  const canResume = o.status === "stopped" || o.status === "failed";
  const canApply = o.status === "completed" && o.resultVersionId !== null;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap gap-2">
        {canStop && (
          <button type="button" className={button} onClick={() => change.mutate("stop")} disabled={change.isPending}>
            <Pause className="size-4" /> Stop
          </button>
        )}
        {canResume && (
          <button type="button" className={button} onClick={() => change.mutate("resume")} disabled={change.isPending}>
            <Play className="size-4" /> Resume
          </button>
        )}
        {o.status === "completed" && applied === null && (
          <button
            type="button"
            className={`${button} border-accent bg-accent text-accent-fg hover:bg-accent/90`}
            onClick={() => apply.mutate()}
            disabled={!canApply || apply.isPending || applied !== null}
            title={canApply ? "Promote the best configuration's version to active" : "Nothing beat the base version: there is no new version to apply"}
          >
            <Rocket className="size-4" /> Apply best as new version
          </button>
        )}
      </div>
      {applied && (
        <p role="status" data-testid="apply-result" className="inline-flex items-center gap-1 text-sm text-ok">
          <CheckCircle2 className="size-4" /> {applied}
        </p>
      )}
      {o.status === "completed" && !o.resultVersionId && <p className="text-xs text-muted">Nothing beat the base version, so there is no new version to apply.</p>}
    </div>
  );
}
