"use client";

import { useState } from "react";
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useServerEvent } from "@/components/realtime";
import { Card, CardBody, CardHeader } from "@/components/ui";
import type { SystemStatus } from "@/lib/schemas";

const MAX_POINTS = 120;

interface Point {
  t: number;
  rssMb: number;
  heapMb: number;
}

const toPoint = (s: SystemStatus): Point => ({
  t: Date.parse(s.now),
  rssMb: s.memory.rssBytes / 2 ** 20,
  heapMb: s.memory.heapUsedBytes / 2 ** 20,
});

function formatUptime(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

const clock = (t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });

export function SystemPanel({ initial }: { initial: SystemStatus }) {
  const [status, setStatus] = useState(initial);
  const [points, setPoints] = useState<Point[]>(() => [toPoint(initial)]);

  useServerEvent("system:status", (s) => {
    setStatus(s);
    setPoints((prev) => [...prev, toPoint(s)].slice(-MAX_POINTS));
  });

  const rows: [string, string, string?][] = [
    ["Version", status.version],
    ["Uptime", formatUptime(status.uptimeSeconds), "uptime"],
    ["Database", status.database.backend === "pglite" ? "Embedded PGlite" : "PostgreSQL", "database-backend"],
    ["Data", status.database.location],
    ["Migrations applied", String(status.database.migrationsApplied)],
    [
      "Language model",
      status.lm.mode === "demo" ? "Demo model: offline simulator, not a real LM" : `${status.lm.baseUrl}${status.lm.model ? ` (${status.lm.model})` : ""}`,
      "lm-mode",
    ],
    ["Live browsers", String(status.realtime.clients), "live-clients"],
  ];

  return (
    <div className="grid gap-4 lg:grid-cols-5">
      <Card className="lg:col-span-2">
        <CardHeader title="System" description="Pushed live from the server every few seconds" />
        <CardBody>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
            {rows.map(([label, value, testId]) => (
              <div key={label} className="contents">
                <dt className="text-muted">{label}</dt>
                <dd className="min-w-0 truncate font-medium" data-testid={testId} title={value}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>
      <Card className="lg:col-span-3">
        <CardHeader title="Server memory" description={`Resident set and JS heap, MiB (last ${MAX_POINTS} updates)`} />
        <CardBody className="h-56" data-testid="memory-chart" data-points={points.length}>
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={clock} stroke="var(--muted)" fontSize={11} />
              <YAxis stroke="var(--muted)" fontSize={11} tickFormatter={(v: number) => v.toFixed(0)} />
              <Tooltip
                labelFormatter={(t) => clock(Number(t))}
                formatter={(v) => `${Number(v).toFixed(1)} MiB`}
                contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", fontSize: 12 }}
              />
              <Area type="monotone" dataKey="rssMb" name="RSS" stroke="var(--accent)" fill="var(--accent)" fillOpacity={0.15} isAnimationActive={false} />
              <Area type="monotone" dataKey="heapMb" name="Heap" stroke="var(--ok)" fill="var(--ok)" fillOpacity={0.1} isAnimationActive={false} />
            </AreaChart>
          </ResponsiveContainer>
        </CardBody>
      </Card>
    </div>
  );
}
