// Declared agent systems over HTTP: list, read, call at the entry, scale a group, stop and
// restart. The runtime's AgentSystemsService answers (in this process, or across the cluster);
// its agent errors become API errors that say what to do.
import { AgentError, type AgentSystemsService } from "../agents";
import { routes } from "../../api/routes";
import { retryAfterHeader, ServingError } from "./errors";
import { implement, type Route } from "./router";

/** What the routes need of the runtime's agent systems. */
export type AgentSystemsControl = Pick<AgentSystemsService, "definitions" | "loadErrors" | "list" | "get" | "call" | "scale" | "stop" | "restart">;

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

function unavailable(): ServingError {
  return new ServingError("NOT_FOUND", "this server runs no agent systems (start it with the runtime: npm start)", [{ field: "name", message: "no agent systems here" }]);
}

function requireSystem(control: AgentSystemsControl, name: string): void {
  const names = control.definitions().map((l) => l.definition.name);
  if (!names.includes(name)) {
    throw new ServingError("NOT_FOUND", `no agent system "${name}"; declared: ${names.join(", ") || "(none: declare one in the programs folder with defineAgentSystem)"}`, [{ field: "name", message: "is not a declared agent system" }]);
  }
}

/** An agent error of a call or a change, as the API's error. */
function toApiError(error: unknown, name: string): unknown {
  if (!(error instanceof AgentError)) return error;
  switch (error.code) {
    case "AGENT_STOPPED":
      return new ServingError("CONFLICT", `agent system "${name}" is not running (${error.message}); restart it first`);
    case "NO_CAPABLE_AGENT":
      return new ServingError("CONFLICT", `agent system "${name}" has no agent for its entry now (${error.message}); scale its entry's group up`);
    case "TASK_TIMEOUT":
      return new ServingError("TIMEOUT", `agent system "${name}" did not answer in time: ${error.message}`);
    case "MAILBOX_FULL":
      return new ServingError("OVERLOADED", `agent system "${name}" is full (its mailboxes are at their bound); retry later`, undefined, retryAfterHeader(1000));
    case "OPTION_INVALID":
      return new ServingError("INVALID_REQUEST", error.message, [{ field: "group", message: error.message }]);
    default:
      return new ServingError("RUN_FAILED", `agent system "${name}" failed (${error.code}): ${error.message}`);
  }
}

export function agentSystemsRoutes(control: AgentSystemsControl | undefined): Route[] {
  const use = (name: string): AgentSystemsControl => {
    if (!control) throw unavailable();
    requireSystem(control, name);
    return control;
  };
  const attempt = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toApiError(error, name);
    }
  };

  const list = implement(routes.listDeclaredAgentSystems, async () => ({
    status: 200,
    body: control ? { items: await control.list(), loadErrors: [...control.loadErrors()] } : { items: [], loadErrors: [] },
  }));

  const get = implement(routes.getDeclaredAgentSystem, async ({ params }) => ({ status: 200, body: await use(params.name).get(params.name) }));

  const call = implement(routes.callAgentSystem, async ({ params, body, res }) => {
    const systems = use(params.name);
    // A caller that goes away stops waiting, and the handler's signal is aborted.
    const gone = new AbortController();
    const onClose = () => gone.abort(new Error("the caller closed the connection"));
    res.once("close", onClose);
    const started = performance.now();
    try {
      const output = await attempt(params.name, () => systems.call(params.name, body.input, { timeoutMs: body.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, signal: gone.signal }));
      return { status: 200, body: { output, latencyMs: performance.now() - started } };
    } finally {
      res.off("close", onClose);
    }
  });

  const change = (spec: typeof routes.stopAgentSystem | typeof routes.restartAgentSystem, what: (s: AgentSystemsControl, name: string) => Promise<void>) =>
    implement(spec, async ({ params }) => {
      const systems = use(params.name);
      await attempt(params.name, () => what(systems, params.name));
      return { status: 200, body: await systems.get(params.name) };
    });

  const scale = implement(routes.scaleAgentSystem, async ({ params, body }) => {
    const systems = use(params.name);
    await attempt(params.name, () => systems.scale(params.name, body.group, body.count));
    return { status: 200, body: await systems.get(params.name) };
  });

  return [list, get, call, scale, change(routes.stopAgentSystem, (s, n) => s.stop(n)), change(routes.restartAgentSystem, (s, n) => s.restart(n))];
}
