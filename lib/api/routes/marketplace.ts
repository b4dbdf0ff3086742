import { ActionNameParamsSchema, MarketplaceActionSchema, MarketplaceSchema, SetActionEnabledBodySchema, type SetActionEnabledBody } from "../../schemas";
import { route } from "./define";

export const marketplaceRoutes = {
  getMarketplace: route({
    method: "GET",
    path: "/api/v1/marketplace",
    operationId: "getMarketplace",
    summary: "Installed skills and actions",
    description:
      "Every skill and action the server loaded, from the programs folder or from npm packages that declare \"dspex\": { \"skills\": ... }: source (file, or package and version), input and output JSON Schemas, declared permissions, whether it may run (and who decided), the declared agent systems that use it, and calls, errors, cost and mean time over the last 30 days. Packages that could not be loaded are listed with why.",
    tag: "marketplace",
    auth: true,
    success: { status: 200, name: "Marketplace", schema: MarketplaceSchema, description: "The installed skills, actions and packages." },
    errors: [],
  }),
  setActionEnabled: route({
    method: "POST",
    path: "/api/v1/marketplace/actions/{name}",
    params: ActionNameParamsSchema,
    operationId: "setActionEnabled",
    summary: "Enable or disable an action",
    description:
      "Administrators only. Applies at once in this process and within seconds in every other one; a disabled action's calls fail with an error naming it. Actions of the programs folder are enabled until disabled; actions of skill packages are disabled until enabled.",
    tag: "marketplace",
    auth: "admin",
    body: { name: "SetActionEnabledBody", schema: SetActionEnabledBodySchema, example: { enabled: true } satisfies SetActionEnabledBody, limit: "single" },
    success: { status: 200, name: "MarketplaceAction", schema: MarketplaceActionSchema, description: "The action as it is now." },
    errors: ["NOT_FOUND"],
  }),
};
