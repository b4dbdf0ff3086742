"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Pause, Play, Rocket } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { btn, btnPrimary, ConfirmDialog } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { detailKey, type OptimizationDetail } from "./live-data";
import { useCan } from "@/components/shell/user-menu";

/** Stop, Resume and "Apply best as new version" (after a confirmation) for one optimization. */
export function RunActions({ o }: { o: OptimizationDetail }) {
  const qc = useQueryClient();
  const [applied, setApplied] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const onError = (err: unknown) => toast.error(err instanceof ApiError ? err.message : "the request failed");
  const change = useMutation({
    mutationFn: (action: "stop" | "resume") => callApi(action === "stop" ? routes.stopOptimization : routes.resumeOptimization, { params: { id: o.id } }),
    onSuccess: (next) => qc.setQueryData<OptimizationDetail>(detailKey(o.id), (prev) => prev && { ...prev, ...next }),
    onError,
  });
  const apply = useMutation({
    mutationFn: () => callApi(routes.applyOptimization, { params: { id: o.id } }),
    onSuccess: (r) => {
      setConfirming(false);
      const text = `Version ${r.versionNumber} of ${r.programName} is now the active version.`;
      setApplied(text);
      toast.success(text);
    },
    onError: (err) => {
      setConfirming(false);
      onError(err);
    },
  });
  const canStop = o.status === "queued" || o.status === "running";
  const canResume = o.status === "stopped" || o.status === "failed";
  const canApply = o.status === "completed" && o.resultVersionId !== null;
  // Applying makes a new active version: a change to the program, not only an optimization.
  const canManage = useCan("manage");
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap gap-2">
        {canStop && (
          <button type="button" className={btn} onClick={() => change.mutate("stop")} disabled={change.isPending}>
            <Pause className="size-4" /> Stop
          </button>
        )}
        {canResume && (
          <button type="button" className={btn} onClick={() => change.mutate("resume")} disabled={change.isPending}>
            <Play className="size-4" /> Resume
          </button>
        )}
        {o.status === "completed" && applied === null && canManage && (
          <button
            type="button"
            className={btnPrimary}
            onClick={() => setConfirming(true)}
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
      <ConfirmDialog
        open={confirming}
        onOpenChange={(open) => !apply.isPending && setConfirming(open)}
        title={`Make the best configuration the active version of ${o.program.name}?`}
        confirmLabel="Apply and promote"
        busy={apply.isPending}
        onConfirm={() => apply.mutate()}
      >
        <p>
          The version this optimization saved (best score {o.bestScore === null ? "—" : o.bestScore.toFixed(3)}
          {o.baselineScore !== null && `, baseline ${o.baselineScore.toFixed(3)}`}) becomes the active version: every prediction of {o.program.name} uses it from now
          on. You can roll back from the program&apos;s versions.
        </p>
      </ConfirmDialog>
    </div>
  );
}
