"use client";
// Files of the programs folder that fail to load now, each with where and why; a program whose
// file broke after it loaded keeps serving its last good code, which the list says.
import { AlertTriangle } from "lucide-react";
import { Card } from "@/components/ui";
import type { ProgramLoadErrorView } from "@/lib/schemas";

export function ProgramLoadErrors({ errors }: { errors: readonly ProgramLoadErrorView[] }) {
  if (errors.length === 0) return null;
  return (
    <Card className="border-bad/40 p-4 text-sm" data-testid="program-load-errors">
      <h2 className="mb-2 flex items-center gap-2 font-medium text-bad">
        <AlertTriangle aria-hidden className="size-4" /> {errors.length === 1 ? "A program file does not load" : `${errors.length} program files do not load`}
      </h2>
      <ul className="space-y-2">
        {errors.map((e) => (
          <li key={e.path} data-testid="program-load-error">
            <code className="font-mono text-xs">
              {e.path}
              {e.line !== null && `:${e.line}${e.column !== null ? `:${e.column}` : ""}`}
            </code>
            <pre className="mt-1 whitespace-pre-wrap break-words font-mono text-xs text-muted">{e.message}</pre>
            {e.servingPrevious.length > 0 && (
              <p className="mt-1 text-xs">
                Still serving the last good code of {e.servingPrevious.join(", ")}; fix the file and it reloads.
              </p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
