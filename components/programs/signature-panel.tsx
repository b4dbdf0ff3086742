import { Card, CardBody, CardHeader } from "@/components/ui";
import type { ProgramDetail, SignatureFieldView } from "@/lib/schemas";

function FieldRows({ fields, testId }: { fields: readonly SignatureFieldView[]; testId: string }) {
  if (fields.length === 0) return <p className="text-sm text-muted">None.</p>;
  return (
    <ul className="divide-y divide-border" data-testid={testId}>
      {fields.map((f) => (
        <li key={f.name} className="py-2">
          <div className="flex flex-wrap items-baseline gap-2">
            <code className="font-mono text-sm font-semibold">{f.name}</code>
            <span className="rounded bg-subtle px-1.5 py-0.5 font-mono text-xs text-muted">{f.hint}</span>
            {f.optional && <span className="text-xs text-muted">optional</span>}
          </div>
          {f.description && <p className="mt-0.5 text-sm text-muted">{f.description}</p>}
          {f.labels && (
            <ul className="mt-1 space-y-0.5 text-xs">
              {f.labels.map((l) => (
                <li key={l.value}>
                  <code className="font-mono">{l.value}</code>
                  {l.description && <span className="text-muted"> — {l.description}</span>}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function SignaturePanel({ program }: { program: ProgramDetail }) {
  const s = program.signature;
  return (
    <Card>
      <CardHeader title="Signature" description={program.shorthand ? <code className="break-all font-mono">{program.shorthand}</code> : "What goes in and what comes out"} />
      <CardBody className="space-y-4">
        {!s ? (
          <p className="text-sm text-muted">This program declares no signature; its API input is not validated. Give it a `signature` in defineServedProgram.</p>
        ) : (
          <>
            {s.instructions && (
              <div>
                <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Instructions (in code)</h3>
                <p className="text-sm">{s.instructions}</p>
              </div>
            )}
            <div className="grid gap-4 md:grid-cols-2">
              <div>
                <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Inputs</h3>
                <FieldRows fields={s.inputs} testId="signature-inputs" />
              </div>
              <div>
                <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted">Outputs</h3>
                <FieldRows fields={s.outputs} testId="signature-outputs" />
              </div>
            </div>
          </>
        )}
      </CardBody>
    </Card>
  );
}
