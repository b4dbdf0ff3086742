import { Bot } from "lucide-react";
import Link from "next/link";
import { formatCount } from "@/components/runs";
import { EmptyState } from "@/components/ui";
import type { AgentRow } from "@/lib/schemas";
import { AgentStateBadge } from "./agent-state-badge";
import { systemHref } from "./ui";

export function AgentsTable({ agents, total }: { agents: readonly AgentRow[]; total: number }) {
  if (agents.length === 0)
    return (
      <EmptyState icon={Bot} title="No agents yet">
        Each agent of every system appears here with its role, state, mailbox depth, messages processed and restarts, updated live. Run the demo team
        above to see its coder and reviewer.
      </EmptyState>
    );
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[720px] text-sm" data-testid="agents-table">
        <thead className="border-b border-border text-left text-xs text-muted">
          <tr>
            <th className="px-3 py-2 font-medium">Agent</th>
            <th className="px-3 py-2 font-medium">System</th>
            <th className="px-3 py-2 font-medium">Role</th>
            <th className="px-3 py-2 font-medium">State</th>
            <th className="px-3 py-2 text-right font-medium">Mailbox</th>
            <th className="px-3 py-2 text-right font-medium">Processed</th>
            <th className="px-3 py-2 text-right font-medium">Restarts</th>
            <th className="px-3 py-2 font-medium">Last error</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} className="border-b border-border last:border-0" data-testid="agent-row">
              <td className="px-3 py-2 font-medium">{a.name}</td>
              <td className="max-w-72 truncate px-3 py-2 text-muted">
                {a.systemId ? (
                  <Link href={systemHref(a.systemId)} className="underline-offset-2 hover:underline">
                    {a.systemId}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-3 py-2 text-muted">{a.role}</td>
              <td className="px-3 py-2">
                <AgentStateBadge state={a.state} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(a.mailboxDepth)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(a.processed)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{a.restarts}</td>
              <td className="max-w-64 truncate px-3 py-2 text-bad" title={a.lastError ?? undefined}>
                {a.lastError ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > agents.length && <p className="px-3 py-2 text-xs text-muted">Showing {agents.length} of {formatCount(total)} agents.</p>}
    </div>
  );
}
