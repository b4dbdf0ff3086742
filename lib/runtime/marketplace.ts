// The marketplace at run time: which actions may run (administrators' decisions in the database,
// applied at once in this process and within a few seconds in every other one), and every call
// counted into the database. Actions of the programs folder are on by default; actions of
// installed skill packages are off until enabled.
import type { PrismaClient } from "../db";
import type { Logger } from "../log";
import { createActionPolicy, type Governance } from "./agents/marketplace";
import type { SkillRegistry } from "./agents/registry";
import { createActionUsageRecorder, listActionSettings, setActionEnabled, type ActionSettingView } from "./store";

export interface Marketplace {
  /** The gate every action of this process passes (enabled or not, calls counted). */
  readonly governance: Governance;
  enabled(action: string): boolean;
  /** Records an administrator's decision and applies it here at once. */
  setEnabled(action: string, enabled: boolean, userId: string | null): Promise<ActionSettingView>;
  /** Tells the policy where each action comes from (its default depends on it). */
  useRegistry(registry: SkillRegistry): void;
  /** Writes the calls counted so far (every few seconds on its own). */
  flushUsage(): Promise<void>;
  /** Reads the decisions again (every few seconds on its own). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export async function createMarketplace(prisma: PrismaClient, options: { readonly refreshMs?: number; readonly log?: Pick<Logger, "warn"> } = {}): Promise<Marketplace> {
  let registry: SkillRegistry | undefined;
  const policy = createActionPolicy((name) => registry?.actions.get(name)?.origin.kind !== "package");
  const usage = createActionUsageRecorder(prisma, { onError: (err) => options.log?.warn({ err }, "action usage not recorded yet; retried at the next flush") });
  const refresh = async () => policy.replace(new Map((await listActionSettings(prisma)).map((s) => [s.action, s.enabled])));
  await refresh();
  const timer = setInterval(() => void refresh().catch((err: unknown) => options.log?.warn({ err }, "action settings not reloaded")), options.refreshMs ?? 5_000);
  timer.unref();
  return {
    governance: { policy, record: (call) => usage.record(call) },
    enabled: (action) => policy.enabled(action),
    async setEnabled(action, enabled, userId) {
      const view = await setActionEnabled(prisma, action, enabled, userId);
      policy.set(action, enabled);
      return view;
    },
    useRegistry(r) {
      registry = r;
    },
    flushUsage: () => usage.flush(),
    refresh,
    async stop() {
      clearInterval(timer);
      await usage.stop();
    },
  };
}
