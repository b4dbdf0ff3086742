import { Network, Workflow } from "lucide-react";
import { LocalTime } from "@/components/ui";
import type { SupervisedChild, Supervision, SupervisorNode } from "@/lib/schemas";

const STATE_STYLE: Record<string, string> = {
  running: "bg-ok",
  starting: "bg-warn",
  restarting: "bg-warn",
  stopping: "bg-muted",
  stopped: "bg-muted",
  failed: "bg-bad",
};

function StateDot({ state }: { state: string }) {
  return <span aria-hidden className={`inline-block size-2 shrink-0 rounded-full ${STATE_STYLE[state] ?? "bg-muted"} ${state === "restarting" || state === "starting" ? "animate-pulse" : ""}`} />;
}

function ChildRow({ child, nested, tree }: { child: SupervisedChild; nested: SupervisorNode | undefined; tree: Supervision }) {
  return (
    <li role="treeitem" aria-expanded={nested ? true : undefined} data-testid="supervision-child" data-child-id={child.id} data-state={child.state}>
      <div className="grid grid-cols-[minmax(0,1fr)_auto] items-start gap-x-3 gap-y-1 rounded-md px-2 py-1.5 hover:bg-subtle sm:grid-cols-[minmax(0,1fr)_7rem_6rem_8rem]">
        <div className="flex min-w-0 items-center gap-2">
          <StateDot state={child.state} />
          {child.type === "supervisor" ? <Network aria-hidden className="size-3.5 shrink-0 text-accent" /> : <Workflow aria-hidden className="size-3.5 shrink-0 text-muted" />}
          <span className="truncate font-medium">{child.id}</span>
          <span className="hidden text-xs text-muted md:inline">
            {child.type}, {child.restart}
          </span>
        </div>
        <span className="text-xs" data-testid="child-state">
          {child.state}
        </span>
        <span className="hidden text-xs tabular-nums text-muted sm:inline" data-testid="child-restarts">
          {child.restarts} restart{child.restarts === 1 ? "" : "s"}
        </span>
        <span className="hidden text-xs tabular-nums text-muted sm:inline">{child.startedAt ? (
            <>
              since <LocalTime iso={child.startedAt} style="time" />
            </>
          ) : (
            "not started"
          )}</span>
        {child.lastError && (
          <p className="col-span-full truncate pl-6 text-xs text-bad" title={child.lastError}>
            Last error: {child.lastError}
          </p>
        )}
      </div>
      {nested && <SupervisorBranch node={nested} tree={tree} />}
    </li>
  );
}

function SupervisorBranch({ node, tree }: { node: SupervisorNode; tree: Supervision }) {
  const children = tree.children.filter((c) => c.supervisor === node.path);
  return (
    <ul role="group" className="ml-3 border-l border-border pl-3">
      {children.map((c) => (
        <ChildRow key={c.id} child={c} tree={tree} nested={c.type === "supervisor" ? tree.supervisors.find((s) => s.path === `${node.path}/${c.id}`) : undefined} />
      ))}
      {children.length === 0 && <li className="px-2 py-1 text-xs text-muted">No children.</li>}
    </ul>
  );
}

/** The runtime's supervision tree, root first, each supervisor's children in start order. */
export function SupervisionTree({ tree }: { tree: Supervision }) {
  const root = tree.supervisors.find((s) => s.parent === null);
  if (!root) return <p className="text-sm text-muted">This server exposes no supervision tree (it runs without the runtime&apos;s supervisor).</p>;
  return (
    <div role="tree" aria-label="Supervision tree" data-testid="supervision-tree" className="text-sm">
      <div className="flex flex-wrap items-center gap-2 px-2 pb-2">
        <StateDot state={root.state === "running" ? "running" : root.state} />
        <Network aria-hidden className="size-4 text-accent" />
        <span className="font-semibold" data-testid="root-supervisor">
          {root.path}
        </span>
        <span className="text-xs text-muted">
          {root.strategy.replaceAll("_", " ")}, at most {root.intensity} restarts per {Math.round(root.periodMs / 1000)} s ({root.restartsInPeriod} now)
        </span>
      </div>
      <SupervisorBranch node={root} tree={tree} />
    </div>
  );
}
