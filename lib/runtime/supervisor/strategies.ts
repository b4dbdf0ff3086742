// Which children a restart affects, per strategy. Children that were terminated on purpose or
// ended for good ("stopped"/"failed") stay as they are.
import type { ChildRecord } from "./child-record";
import type { SupervisorFlags } from "./spec";
import type { ExitReason } from "./types";

/** permanent: always; transient: only after an error; temporary: never. */
export function shouldRestart(restart: ChildRecord["spec"]["restart"], reason: ExitReason): boolean {
  return restart === "permanent" || (restart === "transient" && reason.kind === "error");
}

function live(child: ChildRecord): boolean {
  return child.state === "running" || child.state === "restarting" || child.state === "starting";
}

/** The children to stop and start again when `crashed` must restart, in start order (crashed included). */
export function restartGroup(strategy: SupervisorFlags["strategy"], children: readonly ChildRecord[], crashed: ChildRecord): ChildRecord[] {
  switch (strategy) {
    case "one_for_one":
      return [crashed];
    case "one_for_all":
      return children.filter((c) => c === crashed || live(c));
    case "rest_for_one": {
      const from = children.indexOf(crashed);
      return children.slice(from).filter((c) => c === crashed || live(c));
    }
  }
}
