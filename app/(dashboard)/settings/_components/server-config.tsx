import { Card, CardBody, CardHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { loadCounts } from "../../_server/counts";

/** What the server was started with (safe values only: no keys, no passwords). */
export async function ServerConfig() {
  const { config, db } = getRuntime();
  const counts = await loadCounts();
  const rows: [string, string, string][] = [
    ["Database", db.backend === "pglite" ? "Embedded PGlite" : "PostgreSQL", "DATABASE_URL"],
    ["Data location", db.location, db.backend === "pglite" ? "DSPEX_DATA_DIR" : "DATABASE_URL"],
    ["Redis", config.redisUrl ? "configured" : "not used (single process)", "REDIS_URL"],
    ["LM provider", config.lm.baseUrl ?? "Demo model (offline simulator)", "DSPEX_LM_BASE_URL"],
    ["LM API key", config.lm.apiKey ? "set (hidden)" : "not set", "DSPEX_LM_API_KEY"],
    ["Default model", config.lm.model ?? "(provider default)", "DSPEX_LM_MODEL"],
    ["Secret key (provider keys at rest)", config.secretKey ? "from DSPEX_SECRET_KEY" : `${config.database.dataDir}/secret.key (made on first use)`, "DSPEX_SECRET_KEY"],
    ["Listening on", `${config.host}:${config.port}`, "HOST, PORT"],
    ["Log level", config.logLevel, "LOG_LEVEL"],
  ];
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader title="Server configuration" description="Read from the environment at start-up; see the README's configuration table." />
        <CardBody>
          <table className="w-full text-sm" data-testid="config-table">
            <thead className="sr-only">
              <tr>
                <th>Setting</th>
                <th>Value</th>
                <th>Variable</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, value, variable]) => (
                <tr key={label} className="border-b border-border last:border-0">
                  <td className="py-2 pr-3 text-muted">{label}</td>
                  <td className="py-2 pr-3 font-medium break-all">{value}</td>
                  <td className="py-2 text-right font-mono text-xs text-muted">{variable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Access" description="Users, API keys and the price table" />
        <CardBody className="grid grid-cols-3 gap-3 text-center text-sm">
          <div>
            <div className="text-2xl font-semibold tabular-nums">{counts.users}</div>
            <div className="text-muted">users</div>
          </div>
          <div>
            <div className="text-2xl font-semibold tabular-nums">{counts.apiKeys}</div>
            <div className="text-muted">active API keys</div>
          </div>
          <div>
            <div className="text-2xl font-semibold tabular-nums">{counts.prices}</div>
            <div className="text-muted">stored price overrides</div>
          </div>
        </CardBody>
      </Card>
    </div>
  );
}
