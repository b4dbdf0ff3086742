import { LocalTime } from "@/components/ui";
import { formatMs } from "../format";
import { StatusBadge } from "../status-badge";
import { JsonBlock } from "./json-block";
import type { SpanNode } from "./types";

const hasValue = (v: unknown) => v !== undefined && v !== null && !(typeof v === "object" && Object.keys(v).length === 0);

export function SpanDetail({ span }: { span: SpanNode }) {
  return (
    <div className="space-y-4" data-testid="span-detail">
      {span.error && (
        <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad">
          {span.error}
        </p>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-xs text-muted">Status</dt>
          <dd>
            <StatusBadge status={span.status} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Kind</dt>
          <dd className="font-medium">{span.kind}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Duration</dt>
          <dd className="font-medium tabular-nums">{formatMs(span.durationMs)}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Started</dt>
          <dd className="font-medium tabular-nums"><LocalTime iso={span.startedAt} style="time" /></dd>
        </div>
        {span.path && (
          <div className="col-span-2">
            <dt className="text-xs text-muted">Module path</dt>
            <dd className="truncate font-mono text-xs">{span.path}</dd>
          </div>
        )}
        <div>
          <dt className="text-xs text-muted">LM calls</dt>
          <dd className="font-medium tabular-nums">{span.lmCalls.length}</dd>
        </div>
      </dl>
      {hasValue(span.inputs) && (
        <div>
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Inputs</h4>
          <JsonBlock value={span.inputs} label="Span inputs" />
        </div>
      )}
      {hasValue(span.outputs) && (
        <div>
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Outputs</h4>
          <JsonBlock value={span.outputs} label="Span outputs" />
        </div>
      )}
      {hasValue(span.attributes) && (
        <div>
          <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Attributes</h4>
          <JsonBlock value={span.attributes} label="Span attributes" maxHeight="max-h-48" />
        </div>
      )}
    </div>
  );
}
