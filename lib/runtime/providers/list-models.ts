// "Test connection" / "Refresh": asks a provider for its model list, the way its own clients do
// (OpenAI-compatible GET {baseUrl}/models through the openai SDK; Anthropic GET /v1/models with
// its headers). The answer (or the exact error) is data, never a thrown error.
import OpenAI from "openai";
import { z } from "zod";
import type { ProviderTestResult } from "../../schemas";
import { anthropicRoot } from "./connection";
import { kindInfo } from "./kinds";

export interface ListTarget {
  readonly kind: string;
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ListResult extends ProviderTestResult {
  /** Every model id listed (the result's `models` shows at most 20). */
  readonly allModels: readonly string[];
}

const TIMEOUT_MS = 10_000;
const MODELS_SHOWN = 20;
const ANTHROPIC_PAGES = 20;

const AnthropicModelPageSchema = z.object({
  data: z.array(z.object({ id: z.string() })),
  has_more: z.boolean().optional(),
  last_id: z.string().nullable().optional(),
});
const AnthropicErrorSchema = z.object({ error: z.object({ type: z.string(), message: z.string() }) });

class ListError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

async function listOpenAI(target: ListTarget, timeoutMs: number): Promise<{ request: string; ids: string[] }> {
  const base = target.baseUrl.replace(/\/+$/, "");
  const client = new OpenAI({ baseURL: base, apiKey: target.apiKey ?? "none", maxRetries: 0, timeout: timeoutMs, ...(target.headers && { defaultHeaders: { ...target.headers } }) });
  try {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return { request: `GET ${base}/models`, ids };
  } catch (err) {
    throw new ListError(describeError(err), err instanceof OpenAI.APIError && typeof err.status === "number" ? err.status : null);
  }
}

async function listAnthropic(target: ListTarget, timeoutMs: number): Promise<{ request: string; ids: string[] }> {
  const url = `${anthropicRoot(target.baseUrl)}/v1/models`;
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < ANTHROPIC_PAGES; page++) {
    const res = await fetch(`${url}?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ""}`, {
      headers: { "anthropic-version": "2023-06-01", ...(target.apiKey && { "x-api-key": target.apiKey }), ...target.headers },
      signal: AbortSignal.timeout(timeoutMs),
    }).catch((err: unknown) => {
      throw new ListError(describeError(err), null);
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const parsed = AnthropicErrorSchema.safeParse(body);
      throw new ListError(parsed.success ? `${res.status} ${parsed.data.error.type}: ${parsed.data.error.message}` : `HTTP ${res.status}`, res.status);
    }
    const parsed = AnthropicModelPageSchema.safeParse(body);
    if (!parsed.success) throw new ListError(`the model list is not in the Messages API's shape: ${parsed.error.issues[0]?.message ?? "invalid"}`, res.status);
    ids.push(...parsed.data.data.map((m) => m.id));
    if (!parsed.data.has_more || !parsed.data.last_id) break;
    after = parsed.data.last_id;
  }
  return { request: `GET ${url}`, ids };
}

export async function listProviderModels(target: ListTarget, timeoutMs = TIMEOUT_MS): Promise<ListResult> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  const anthropic = kindInfo(target.kind).protocol === "anthropic";
  const request = anthropic ? `GET ${anthropicRoot(target.baseUrl)}/v1/models` : `GET ${target.baseUrl.replace(/\/+$/, "")}/models`;
  try {
    const { ids } = anthropic ? await listAnthropic(target, timeoutMs) : await listOpenAI(target, timeoutMs);
    return { ok: true, latencyMs: latency(), request, models: ids.slice(0, MODELS_SHOWN), modelCount: ids.length, allModels: ids, status: null, error: null };
  } catch (err) {
    const status = err instanceof ListError ? err.status : null;
    return { ok: false, latencyMs: latency(), request, models: [], modelCount: 0, allModels: [], status, error: err instanceof Error ? err.message : String(err) };
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const causes: string[] = [];
  let cause: unknown = err.cause;
  // Connection failures hide the reason (ECONNREFUSED, a DNS error) in the cause chain.
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    causes.push(code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message);
    cause = cause.cause;
  }
  return [err.message, ...causes.filter((c) => c && c !== err.message)].join(" — ");
}
