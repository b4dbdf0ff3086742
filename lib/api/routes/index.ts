// The API's route table: every route of /api/v1 by its operationId. The server binds one handler to
// each (lib/runtime/serving), the OpenAPI document is generated from it, and the browser calls the
// API only through the client derived from it (lib/api/client).
import { agentSystemsRoutes } from "./agent-systems";
import { agentsRoutes } from "./agents";
import { alertsRoutes } from "./alerts";
import { authRoutes } from "./auth";
import { costsRoutes } from "./costs";
import { datasetsRoutes } from "./datasets";
import { experimentsRoutes } from "./experiments";
import { healthRoutes } from "./health";
import { marketplaceRoutes } from "./marketplace";
import { metricsRoutes } from "./metrics";
import { optimizationsRoutes } from "./optimizations";
import { predictRoutes } from "./predict";
import { pricesRoutes } from "./prices";
import { programsRoutes } from "./programs";
import { providersRoutes } from "./providers";
import { runsRoutes } from "./runs";
import { scoresRoutes } from "./scores";
import { settingsRoutes } from "./settings";
import { supervisionRoutes } from "./supervision";
import { systemRoutes } from "./system";
import { traceSearchRoutes } from "./trace-search";

export const routes = {
  ...predictRoutes,
  ...traceSearchRoutes,
  ...scoresRoutes,
  ...runsRoutes,
  ...datasetsRoutes,
  ...costsRoutes,
  ...programsRoutes,
  ...metricsRoutes,
  ...alertsRoutes,
  ...supervisionRoutes,
  ...agentsRoutes,
  ...agentSystemsRoutes,
  ...marketplaceRoutes,
  ...optimizationsRoutes,
  ...experimentsRoutes,
  ...healthRoutes,
  ...authRoutes,
  ...settingsRoutes,
  ...providersRoutes,
  ...pricesRoutes,
  ...systemRoutes,
};

export type Routes = typeof routes;
export type OperationId = keyof Routes;

export { LOGIN_ATTEMPTS_PER_MINUTE } from "./auth";
export { pathParamNames, route } from "./define";
export type { BodyInput, BodyOf, HttpMethod, ParamsInput, ParamsOf, PathParamNames, QueryInput, QueryOf, ReplyOf, RouteAuth, RouteBodySpec, RouteSpec } from "./define";
