// The marketplace over HTTP: everything installed, and administrators' decisions about which
// actions may run.
import { routes } from "../../api/routes";
import type { MarketplaceControl } from "../services";
import { ServingError } from "./errors";
import { implement, type Route } from "./router";

export function marketplaceRoutes(control: MarketplaceControl | undefined): Route[] {
  const read = implement(routes.getMarketplace, async () => ({
    status: 200,
    body: control ? await control.read() : { actions: [], skills: [], packages: [], loadErrors: [] },
  }));
  const set = implement(routes.setActionEnabled, async ({ params, body, caller }) => {
    const action = control ? await control.setEnabled(params.name, body.enabled, caller.kind === "user" ? caller.user.id : null) : undefined;
    if (!action) throw new ServingError("NOT_FOUND", `no action "${params.name}" is installed (see GET /api/v1/marketplace)`, [{ field: "name", message: "is not an installed action" }]);
    return { status: 200, body: action };
  });
  return [read, set];
}
