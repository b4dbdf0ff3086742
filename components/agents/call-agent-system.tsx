"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Send } from "lucide-react";
import { useId, useState } from "react";
import { btnPrimary } from "@/components/ui";
import { ApiError, callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import { CallAgentSystemBodySchema, type CallAgentSystemBody } from "@/lib/schemas";
import { DECLARED_SYSTEMS_KEY } from "./ui";

/** An answer of the { ok: false, error } shape (an action's failure, or a handler's). */
function failureOf(output: unknown): string | undefined {
  if (typeof output !== "object" || output === null) return undefined;
  const o = output as { ok?: unknown; error?: unknown };
  return o.ok === false && typeof o.error === "string" ? o.error : undefined;
}

function parseInput(text: string): { ok: true; value: CallAgentSystemBody["input"] } | { ok: false; error: string } {
  try {
    return { ok: true, value: CallAgentSystemBodySchema.shape.input.parse(JSON.parse(text)) };
  } catch (err) {
    return { ok: false, error: `the input is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Sends one message to a system's entry (POST /api/v1/agent-systems/{name}/call) and shows the reply. */
export function CallAgentSystem({ name, entry }: { name: string; entry: string }) {
  const inputId = useId();
  const [text, setText] = useState("{}");
  const [invalid, setInvalid] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const call = useMutation({
    mutationFn: (input: CallAgentSystemBody["input"]) => callApi(routes.callAgentSystem, { params: { name }, body: { input, timeoutMs: 30_000 } }),
    // The agents' processed counts changed.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: DECLARED_SYSTEMS_KEY, exact: true }),
  });
  const submit = () => {
    const parsed = parseInput(text);
    setInvalid(parsed.ok ? null : parsed.error);
    if (parsed.ok) call.mutate(parsed.value);
  };
  const failure = call.data ? failureOf(call.data.output) : undefined;
  return (
    <div data-testid="call-agent-system" className="space-y-2">
      <label htmlFor={inputId} className="block text-xs font-medium text-muted">
        Input sent to its entry <code>{entry}</code> (JSON)
      </label>
      <textarea
        id={inputId}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={3}
        spellCheck={false}
        className="w-full rounded-md border border-border bg-bg px-2 py-1.5 font-mono text-xs"
      />
      <div className="flex items-center gap-3">
        <button type="button" className={btnPrimary} onClick={submit} disabled={call.isPending}>
          <Send aria-hidden className="size-4" />
          {call.isPending ? "Calling…" : "Call"}
        </button>
        {call.data && !failure && <span className="text-xs text-muted">answered in {Math.round(call.data.latencyMs)} ms</span>}
      </div>
      {invalid && (
        <p role="alert" data-testid="call-error" className="text-sm text-bad">
          {invalid}
        </p>
      )}
      {call.error && (
        <p role="alert" data-testid="call-error" className="text-sm text-bad">
          The call failed: {call.error instanceof ApiError ? call.error.message : String(call.error)}
        </p>
      )}
      {failure !== undefined && (
        <p role="alert" data-testid="call-error" className="text-sm text-bad">
          The system answered with an error: {failure}
        </p>
      )}
      {call.data && failure === undefined && (
        <pre data-testid="call-output" className="max-h-48 overflow-auto rounded-md bg-subtle p-2 text-xs">
          {JSON.stringify(call.data.output, null, 2)}
        </pre>
      )}
    </div>
  );
}
