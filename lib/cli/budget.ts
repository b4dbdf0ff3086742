// --budget "calls=300,usd=0.5,seconds=600": the optimization's budget, each key checked (a typo
// is an error naming the nearest key, never a budget silently missing).
import { closest } from "../dspex/signatures/suggest";
import { CliError, EXIT } from "./errors";

const KEYS = { usd: "usd", calls: "lmCalls", lmCalls: "lmCalls", seconds: "seconds" } as const;

export interface CliBudget {
  usd?: number;
  lmCalls?: number;
  seconds?: number;
}

export function parseBudget(text: string): CliBudget {
  const budget: CliBudget = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [key = "", value = ""] = part.split("=").map((s) => s.trim());
    if (!(key in KEYS)) {
      const guess = closest(key, Object.keys(KEYS));
      throw new CliError(`--budget: unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ""} (keys: usd, calls, seconds; e.g. --budget calls=300,usd=0.5)`, EXIT.usage);
    }
    const n = Number(value);
    if (value === "" || !Number.isFinite(n) || n <= 0) throw new CliError(`--budget: ${key} must be a positive number (got "${value}")`, EXIT.usage);
    const field = KEYS[key as keyof typeof KEYS];
    if (field !== "usd" && !Number.isInteger(n)) throw new CliError(`--budget: ${key} must be a whole number (got "${value}")`, EXIT.usage);
    budget[field] = n;
  }
  if (Object.keys(budget).length === 0) throw new CliError("--budget needs at least one of usd, calls, seconds (e.g. --budget calls=300,usd=0.5)", EXIT.usage);
  return budget;
}
