// What the parts of a cluster node share: its id, Redis, the key names, the systems it knows,
// and the settings of its loops.
import type { Redis } from "ioredis";
import type { LM, RunContext } from "../../../dspex";
import type { Logger } from "../../../log";
import type { Action } from "../action";
import type { AgentSystemDefinition } from "../systems/define-agent-system";
import type { PublishAgentState } from "../types";
import type { ClusterKeys } from "./keys";

export interface NodeContext {
  readonly nodeId: string;
  /** Commands (never blocking reads: those get connections of their own). */
  readonly redis: Redis;
  readonly keys: ClusterKeys;
  readonly systems: ReadonlyMap<string, AgentSystemDefinition>;
  readonly log?: Pick<Logger, "info" | "warn" | "error">;
  readonly lm?: LM;
  readonly context?: Omit<RunContext, "lm" | "settings" | "signal" | "tracer" | "paths" | "parentSpanId" | "path">;
  readonly publish?: PublishAgentState;
  /** Puts every action the node's agents mount behind the marketplace's gate. */
  readonly govern?: (action: Action) => Action;
  /** A node is dead once it has not beaten for this long. */
  readonly nodeTtlMs: number;
  /** How long a blocking read waits before it looks again whether it should stop. */
  readonly blockMs: number;
  /** Tells every node something changed (placement, a cancelled message). */
  announce(event: ClusterEvent): Promise<void>;
}

export type ClusterEvent = { readonly kind: "placement"; readonly system: string } | { readonly kind: "cancel"; readonly id: string; readonly reason: string };
