"use client";

import type { VersionDiffView } from "@/lib/schemas";

function Value({ value, tone }: { value: unknown; tone: "before" | "after" }) {
  const text = value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const cls = tone === "before" ? "border-bad/40 bg-bad/10" : "border-ok/40 bg-ok/10";
  return (
    <pre className={`max-h-64 overflow-auto whitespace-pre-wrap break-words rounded border px-2 py-1 font-mono text-xs ${cls}`}>
      <span className="sr-only">{tone}: </span>
      {text}
    </pre>
  );
}

export function DiffView({ diff }: { diff: VersionDiffView }) {
  if (!diff.from) return <p className="text-sm text-muted">v{diff.to.number} is a first version: it has no parent to compare with.</p>;
  if (diff.changes.length === 0) return <p className="text-sm text-muted">No changes from v{diff.from.number}.</p>;
  return (
    <div className="space-y-3" data-testid="version-diff">
      <p className="text-xs text-muted">
        v{diff.from.number} → v{diff.to.number}: {diff.changes.length} change{diff.changes.length === 1 ? "" : "s"}
      </p>
      {diff.changes.map((c) => (
        <div key={c.name} data-testid={`diff-${c.name}`}>
          <div className="mb-1 font-mono text-sm font-medium">{c.name}</div>
          <div className="grid gap-2 sm:grid-cols-2">
            <Value value={c.before} tone="before" />
            <Value value={c.after} tone="after" />
          </div>
        </div>
      ))}
    </div>
  );
}
