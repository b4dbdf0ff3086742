import { Boxes, Sparkles } from "lucide-react";
import { Card, CardBody, CardHeader } from "@/components/ui";
import type { ModuleNodeShape, ProgramDetail } from "@/lib/schemas";

function Node({ node, variables }: { node: ModuleNodeShape; variables: readonly string[] }) {
  const prefix = node.path ? `${node.path}.` : "";
  const own = node.step ? variables.filter((v) => (node.path ? v.startsWith(prefix) && !v.slice(prefix.length).includes(".") : !v.includes("."))) : [];
  const Icon = node.step ? Sparkles : Boxes;
  return (
    <li className="py-1" data-testid="module-node" data-path={node.path}>
      <div className="flex items-center gap-1.5">
        <Icon aria-hidden className={`size-4 ${node.step ? "text-accent" : "text-muted"}`} />
        <span className="font-mono text-sm">{node.name || "(root)"}</span>
        <span className="rounded bg-subtle px-1.5 py-0.5 text-xs">{node.kind}</span>
      </div>
      {node.signature && <div className="ml-5 break-all font-mono text-xs text-muted">{node.signature}</div>}
      {own.length > 0 && <div className="ml-5 text-xs text-muted">variables: {own.map((v) => v.slice(prefix.length)).join(", ")}</div>}
      {node.children.length > 0 && (
        <ul className="ml-2 border-l border-border pl-3">
          {node.children.map((c) => (
            <Node key={c.path} node={c} variables={variables} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function ModuleTree({ program }: { program: ProgramDetail }) {
  return (
    <Card>
      <CardHeader title="Module tree" description={program.active ? `As served by v${program.active.number}; ✦ marks steps (predictors)` : "The program's code"} />
      <CardBody>
        {program.moduleTree ? (
          <ul data-testid="module-tree">
            <Node node={program.moduleTree} variables={program.variables.map((v) => v.name)} />
          </ul>
        ) : (
          <p className="text-sm text-muted">Not available: the program&apos;s code is not loaded here.</p>
        )}
      </CardBody>
    </Card>
  );
}
