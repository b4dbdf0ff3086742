"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ClipboardCheck, ThumbsDown, ThumbsUp } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { EmptyState } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import { Can } from "@/components/shell/user-menu";

const BUTTON = "inline-flex h-9 items-center gap-1.5 rounded-md border border-border bg-card px-3 text-sm hover:bg-subtle disabled:opacity-50";

function Json({ value }: { value: unknown }) {
  return <pre className="max-h-64 overflow-auto rounded-md bg-subtle p-3 font-mono text-xs whitespace-pre-wrap">{JSON.stringify(value, null, 2)}</pre>;
}

/** One queue's review: the oldest pending run, thumbs and a comment, then the next one. */
export function QueueReview({ queueId }: { queueId: string }) {
  const key = ["scores", "queue", queueId] as const;
  const queryClient = useQueryClient();
  const next = useQuery({ queryKey: key, queryFn: ({ signal }) => callApi(routes.nextAnnotationQueueItem, { params: { id: queueId }, signal }) });
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const data = next.data;
  const item = data?.item;

  const review = async (value: number) => {
    if (!item || !data) return;
    setBusy(true);
    setError(null);
    try {
      const name = data.queue.scoreNames[0] ?? "thumbs";
      await callApi(routes.scoreRun, { params: { id: item.runId }, body: { name, value, ...(comment.trim() && { comment: comment.trim() }) } });
      await callApi(routes.completeAnnotationQueueItem, { params: { id: queueId, itemId: item.id } });
      setComment("");
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  if (next.error) return <p role="alert" className="text-sm text-bad">Could not load the queue: {next.error.message}</p>;
  if (!data) return <p className="text-sm text-muted">Loading the queue…</p>;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted" data-testid="queue-counts">
        {data.queue.pending} pending · {data.queue.done} done
      </p>
      {!item ? (
        <EmptyState icon={ClipboardCheck} title="Nothing left to review">
          Queue runs with POST /api/v1/annotation-queues/{queueId}/items.
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-3 rounded-lg border border-border bg-card p-4" data-testid="queue-item" data-run-id={item.runId}>
          <p className="text-sm">
            <Link className="font-medium underline" href={`/runs/${item.runId}`}>
              {item.programName ?? "run"} · {item.runId.slice(0, 8)}
            </Link>
          </p>
          <div className="grid gap-3 md:grid-cols-2">
            <div>
              <h2 className="mb-1 text-xs font-medium text-muted">Input</h2>
              <Json value={item.input} />
            </div>
            <div>
              <h2 className="mb-1 text-xs font-medium text-muted">{item.error ? "Error" : "Output"}</h2>
              {item.error ? <p className="text-sm text-bad">{item.error}</p> : <Json value={item.output} />}
            </div>
          </div>
          <Can scope="manage" otherwise={<p className="text-sm text-muted" data-testid="role-note">Your role can read but not review runs; ask an administrator for the maintainer role.</p>}>
          <label className="flex flex-col gap-1 text-xs text-muted">
            Comment (optional)
            <input className="h-8 rounded-md border border-border bg-card px-2 text-sm" value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <div className="flex gap-2">
            <button type="button" className={BUTTON} disabled={busy} onClick={() => void review(1)}>
              <ThumbsUp aria-hidden className="size-4" /> Good, next
            </button>
            <button type="button" className={BUTTON} disabled={busy} onClick={() => void review(0)}>
              <ThumbsDown aria-hidden className="size-4" /> Bad, next
            </button>
          </div>
          </Can>
          {error && (
            <p role="alert" className="text-sm text-bad">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
