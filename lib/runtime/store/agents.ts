// Agent rows (written by the event writer from agent:state events) as the API shows them.
import type { AgentRow } from "../../schemas";

interface AgentRecord {
  readonly id: string;
  readonly systemId: string | null;
  readonly name: string;
  readonly role: string;
  readonly state: string;
  readonly restarts: number;
  readonly lastError: string | null;
  readonly mailboxDepth: number;
  readonly processed: number;
  readonly updatedAt: Date;
}

export function toAgentRow(a: AgentRecord): AgentRow {
  return {
    id: a.id,
    systemId: a.systemId,
    name: a.name,
    role: a.role,
    state: a.state,
    restarts: a.restarts,
    lastError: a.lastError,
    mailboxDepth: a.mailboxDepth,
    processed: a.processed,
    updatedAt: a.updatedAt.toISOString(),
  };
}
