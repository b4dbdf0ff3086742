"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { CircleCheck, CircleDashed, CircleX, Code2, LoaderCircle, X } from "lucide-react";
import { useState } from "react";
import { Card, CardHeader } from "@/components/ui";
import type { DemoTeamJob, DemoTeamTaskResult } from "@/lib/schemas";
import { btn } from "./ui";

/** What the page saw of a task while the job ran (the job keeps only its latest round). */
export interface ObservedTask {
  readonly rounds: number;
  readonly approved: boolean;
}

type TaskStatus = "pending" | "working" | "approved" | "not-approved" | "done";

interface TaskRow {
  readonly id: string;
  readonly title: string;
  readonly status: TaskStatus;
  readonly rounds: number | null;
  readonly result?: DemoTeamTaskResult;
}

export function taskRows(job: DemoTeamJob, observed: ReadonlyMap<string, ObservedTask>): TaskRow[] {
  return job.tasks.map((task, index): TaskRow => {
    const result = job.result?.tasks.find((t) => t.taskId === task.id);
    if (result) return { ...task, status: result.approved ? "approved" : "not-approved", rounds: result.rounds, result };
    const seen = observed.get(task.id);
    const progress = job.progress;
    if (progress && index < progress.tasksDone) return { ...task, status: seen?.approved ? "approved" : "done", rounds: seen?.rounds ?? null };
    if (progress?.taskId === task.id) return { ...task, status: progress.approved ? "approved" : "working", rounds: progress.round };
    if (job.status === "running" && index === (progress?.tasksDone ?? 0)) return { ...task, status: "working", rounds: seen?.rounds ?? null };
    return { ...task, status: "pending", rounds: null };
  });
}

const STATUS = {
  pending: { icon: CircleDashed, label: "pending", className: "text-muted" },
  working: { icon: LoaderCircle, label: "in review", className: "text-warn" },
  approved: { icon: CircleCheck, label: "approved", className: "text-ok" },
  "not-approved": { icon: CircleX, label: "not approved", className: "text-bad" },
  done: { icon: CircleCheck, label: "done", className: "text-muted" },
} as const;

function CodeDialog({ task }: { task: TaskRow & { result: DemoTeamTaskResult } }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={btn} aria-label={`View the final code of ${task.title}`}>
          <Code2 aria-hidden className="size-4" />
          <span className="hidden sm:inline">Code</span>
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 flex max-h-[85vh] w-[calc(100vw-2rem)] max-w-2xl -translate-x-1/2 -translate-y-1/2 flex-col rounded-lg border border-border bg-card p-5 shadow-xl">
          <div className="flex items-start justify-between gap-3">
            <Dialog.Title className="text-base font-semibold">{task.title}: final code</Dialog.Title>
            <Dialog.Close asChild>
              <button type="button" className={btn} aria-label="Close">
                <X aria-hidden className="size-4" />
              </button>
            </Dialog.Close>
          </div>
          <Dialog.Description className="mt-1 text-sm text-muted">
            {task.result.approved ? "Approved" : "Not approved"} after {task.result.rounds} round{task.result.rounds === 1 ? "" : "s"}; hidden tests {task.result.hiddenPassed} of{" "}
            {task.result.hiddenTotal} passed.
          </Dialog.Description>
          <pre data-testid="final-code" className="mt-3 overflow-auto rounded-md border border-border bg-subtle p-3 font-mono text-xs leading-relaxed">
            {task.result.finalCode || "(no code)"}
          </pre>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The demo team's tasks: status, rounds, hidden tests and the final code, filled in as the job runs. */
export function DemoTeamProgress({ job, observed }: { job: DemoTeamJob; observed: ReadonlyMap<string, ObservedTask> }) {
  const rows = taskRows(job, observed);
  const finished = job.result ? rows.length : Math.min(rows.length, job.progress ? job.progress.tasksDone + (job.progress.approved ? 1 : 0) : 0);
  const ended = job.status !== "queued" && job.status !== "running";
  const summary = job.result
    ? `${job.result.approved} of ${rows.length} approved · ${job.result.passing} pass every hidden test · ${job.result.totalRounds} rounds`
    : ended
      ? `The job ${job.status}${job.error ? `: ${job.error}` : ""}`
      : job.status === "queued"
        ? "Queued: the team starts in a moment"
        : `${finished} of ${rows.length} tasks finished`;
  return (
    <Card data-testid="demo-team-progress" data-status={job.status}>
      <CardHeader title="Demo team tasks" description={`Up to ${job.maxRounds} rounds per task; the reviewer runs hidden tests in a QuickJS sandbox`} />
      <div className="space-y-2 border-b border-border px-4 py-3">
        <p className="text-sm font-medium" data-testid="demo-team-summary">
          {summary}
        </p>
        <div className="h-2 overflow-hidden rounded-full bg-subtle" role="progressbar" aria-label="Tasks finished" aria-valuemin={0} aria-valuemax={rows.length} aria-valuenow={finished}>
          <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${rows.length ? (100 * finished) / rows.length : 0}%` }} />
        </div>
      </div>
      <ul>
        {rows.map((row) => {
          const s = STATUS[row.status];
          const Icon = s.icon;
          return (
            <li key={row.id} data-testid="demo-task" data-task-id={row.id} data-status={row.status} className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-border px-4 py-2 text-sm last:border-0">
              <span className={`inline-flex w-28 items-center gap-1.5 text-xs font-medium ${s.className}`}>
                <Icon aria-hidden className={`size-4 ${row.status === "working" ? "animate-spin" : ""}`} />
                {s.label}
              </span>
              <span className="min-w-32 flex-1 font-medium">{row.title}</span>
              <span className="text-xs tabular-nums text-muted" data-testid="task-rounds">
                {row.rounds === null ? "—" : `${row.rounds} round${row.rounds === 1 ? "" : "s"}`}
              </span>
              <span className="w-28 text-xs tabular-nums text-muted">
                {row.result ? `hidden tests ${row.result.hiddenPassed}/${row.result.hiddenTotal}` : "hidden tests —"}
              </span>
              {row.result ? <CodeDialog task={{ ...row, result: row.result }} /> : <span className="w-[74px]" aria-hidden />}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
