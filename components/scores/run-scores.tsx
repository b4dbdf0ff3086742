"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Gavel, ThumbsDown, ThumbsUp } from "lucide-react";
import { useId, useState } from "react";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { ApiError, callApi, routes } from "@/lib/api/client";
import type { BodyInput } from "@/lib/api/routes";
import { type Score } from "@/lib/schemas";
import { Can } from "@/components/shell/user-menu";

const INPUT = "h-8 rounded-md border border-border bg-card px-2 text-sm focus-visible:outline-2";
const BUTTON = "inline-flex h-8 items-center gap-1.5 rounded-md border border-border bg-card px-2.5 text-sm hover:bg-subtle disabled:opacity-50";

/** The JSON a person typed, or undefined when it does not parse. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const messageOf = (err: unknown) => (err instanceof ApiError ? Object.values(err.fields)[0] ?? err.message : String(err));

function ScoreValue({ score }: { score: Score }) {
  if (score.name === "thumbs" && score.value !== null) return <span>{score.value >= 1 ? "👍 up" : "👎 down"}</span>;
  return (
    <span className="tabular-nums">
      {score.value !== null ? (Number.isInteger(score.value) ? score.value : score.value.toFixed(3)) : ""}
      {score.label && <span className="ml-1 rounded bg-subtle px-1.5 py-0.5 text-xs">{score.label}</span>}
    </span>
  );
}

/** A person's score: thumbs, or a named label and comment. */
function HumanScore({ onScore }: { onScore: (body: BodyInput<typeof routes.scoreRun>) => Promise<void> }) {
  const id = useId();
  const [name, setName] = useState("review");
  const [label, setLabel] = useState("");
  const [comment, setComment] = useState("");
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-2">
        <span className="text-xs text-muted">Your score</span>
        <button type="button" className={BUTTON} onClick={() => void onScore({ name: "thumbs", value: 1 })} aria-label="Thumbs up">
          <ThumbsUp aria-hidden className="size-4" />
        </button>
        <button type="button" className={BUTTON} onClick={() => void onScore({ name: "thumbs", value: 0 })} aria-label="Thumbs down">
          <ThumbsDown aria-hidden className="size-4" />
        </button>
      </div>
      <form
        aria-label="Label and comment"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void onScore({ name, ...(label.trim() && { label: label.trim() }), ...(comment.trim() && { comment: comment.trim() }) }).then(() => {
            setLabel("");
            setComment("");
          });
        }}
      >
        <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-n`}>
          Score name
          <input id={`${id}-n`} className={`${INPUT} w-28`} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-l`}>
          Label
          <input id={`${id}-l`} className={`${INPUT} w-32`} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="correct" />
        </label>
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-xs text-muted" htmlFor={`${id}-c`}>
          Comment
          <input id={`${id}-c`} className={INPUT} value={comment} onChange={(e) => setComment(e.target.value)} />
        </label>
        <button type="submit" className={BUTTON} disabled={!label.trim() && !comment.trim()}>
          Add score
        </button>
      </form>
    </div>
  );
}

/** An LM judge's score against criteria and an optional reference answer. */
function JudgeScore({ onJudge, busy }: { onJudge: (body: BodyInput<typeof routes.judgeRun>) => Promise<void>; busy: boolean }) {
  const id = useId();
  const [criteria, setCriteria] = useState("The output is correct for the input.");
  const [reference, setReference] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      aria-label="LM judge"
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        let ref: Record<string, unknown> | undefined;
        if (reference.trim()) {
          const parsed = parseJson(reference);
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            setError('The reference must be a JSON object, e.g. {"answer": "..."}');
            return;
          }
          ref = parsed as Record<string, unknown>;
        }
        void onJudge({ name: "judge", criteria, ...(ref !== undefined && { reference: ref }) });
      }}
    >
      <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-c`}>
        Judge criteria
        <input id={`${id}-c`} className={INPUT} value={criteria} onChange={(e) => setCriteria(e.target.value)} required />
      </label>
      <label className="flex flex-col gap-1 text-xs text-muted" htmlFor={`${id}-r`}>
        Reference outputs (JSON, optional)
        <input id={`${id}-r`} className={`${INPUT} font-mono`} value={reference} onChange={(e) => setReference(e.target.value)} placeholder='{"category": "billing"}' />
      </label>
      {error && (
        <p role="alert" className="text-sm text-bad">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className={BUTTON} disabled={busy || !criteria.trim()}>
          <Gavel aria-hidden className="size-4" /> {busy ? "Judging…" : "Judge with LM"}
        </button>
      </div>
    </form>
  );
}

/** A run's scores, and the ways to add one: by hand, or by an LM judge. */
export function RunScores({ runId }: { runId: string }) {
  const key = ["scores", "run", runId] as const;
  const queryClient = useQueryClient();
  const scores = useQuery({ queryKey: key, queryFn: ({ signal }) => callApi(routes.listRunScores, { params: { id: runId }, signal }) });
  const [error, setError] = useState<string | null>(null);
  const [judging, setJudging] = useState(false);
  const post = async (score: () => Promise<unknown>) => {
    setError(null);
    try {
      await score();
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const items = scores.data?.items ?? [];
  return (
    <Card>
      <CardHeader title="Scores" />
      <CardBody>
        <div className="flex flex-col gap-4">
          {items.length === 0 ? (
            <p className="text-sm text-muted">No scores yet: give one by hand, or ask an LM judge.</p>
          ) : (
            <table className="w-full text-sm" data-testid="scores-table">
              <thead className="text-left text-xs text-muted">
                <tr>
                  <th className="py-1 pr-3 font-medium">Name</th>
                  <th className="py-1 pr-3 font-medium">From</th>
                  <th className="py-1 pr-3 font-medium">Score</th>
                  <th className="py-1 pr-3 font-medium">Comment</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} data-testid="score-row" data-source={s.source} data-name={s.name} className="border-t border-border align-top">
                    <td className="py-1.5 pr-3 font-medium">{s.name}</td>
                    <td className="py-1.5 pr-3 text-muted">{s.source === "judge" ? "LM judge" : s.source === "metric" ? "metric" : "person"}</td>
                    <td className="py-1.5 pr-3" data-testid="score-value">
                      <ScoreValue score={s} />
                    </td>
                    <td className="py-1.5 pr-3 text-muted">{s.comment ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {error && (
            <p role="alert" className="text-sm text-bad">
              {error}
            </p>
          )}
          <Can scope="manage">
            <HumanScore onScore={(body) => post(() => callApi(routes.scoreRun, { params: { id: runId }, body }))} />
            <JudgeScore
              busy={judging}
              onJudge={async (body) => {
                setJudging(true);
                await post(() => callApi(routes.judgeRun, { params: { id: runId }, body }));
                setJudging(false);
              }}
            />
          </Can>
        </div>
      </CardBody>
    </Card>
  );
}
