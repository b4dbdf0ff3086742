// routeLM: one LM in front of several, chosen per request by the model name, so a program switches
// provider by switching model ("gpt-4o-mini" -> OpenAI, "claude-*" -> Anthropic, "llama*" -> Ollama).

import { DspexError, LMError } from "../errors";
import type { LM, LMCallOptions, LMRequest, LMResponse, LMStreamEvent } from "./types";

export interface Route {
  /** A model name, a glob with `*` ("claude-*"), or a regular expression. */
  readonly model: string | RegExp;
  readonly lm: LM;
}

const MEMO_LIMIT = 1024;

function globToRegExp(glob: string): RegExp {
  const source = glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`);
}

/**
 * Routes are tried in order; the first whose pattern matches request.model wins. Requests naming no
 * model, or a model no route matches, go to `fallback`; without one they fail with LM_NOT_CONFIGURED.
 */
export function routeLM(routes: readonly Route[] | Readonly<Record<string, LM>>, fallback?: LM): LM {
  const list: readonly Route[] = Array.isArray(routes) ? routes : Object.entries(routes).map(([model, lm]) => ({ model, lm }));
  if (list.length === 0 && fallback === undefined) {
    throw new DspexError("OPTION_INVALID", "routeLM: no routes and no fallback; pass routeLM([{ model: \"gpt-*\", lm }]) or a fallback LM");
  }
  const compiled = list.map((r) => ({ regex: typeof r.model === "string" ? globToRegExp(r.model) : r.model, lm: r.lm }));
  const patterns = list.map((r) => (typeof r.model === "string" ? `"${r.model}"` : String(r.model))).join(", ");
  const memo = new Map<string, LM | null>();

  function target(request: LMRequest): LM {
    const model = request.model;
    if (model === undefined) {
      if (fallback !== undefined) return fallback;
      throw new LMError("LM_NOT_CONFIGURED", `routeLM: the request names no model and there is no fallback; set request.model to one of ${patterns}`, { provider: "router" });
    }
    let lm = memo.get(model);
    if (lm === undefined) {
      lm = compiled.find((c) => {
        c.regex.lastIndex = 0;
        return c.regex.test(model);
      })?.lm ?? null;
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(model, lm);
    }
    if (lm !== null) return lm;
    if (fallback !== undefined) return fallback;
    throw new LMError(
      "LM_NOT_CONFIGURED",
      `routeLM: no route for model "${model}"; configured patterns: ${patterns || "(none)"}. Add a route for it or pass a fallback LM`,
      { provider: "router", model },
    );
  }

  async function* stream(request: LMRequest, options?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
    const lm = target(request);
    if (lm.stream !== undefined) {
      yield* lm.stream(request, options);
      return;
    }
    const response: LMResponse = await lm.complete(request, options);
    if (response.text !== "") yield { type: "text", delta: response.text };
    yield { type: "done", response };
  }

  return {
    provider: "router",
    defaultModel: fallback?.defaultModel,
    complete: (request, options) => {
      try {
        return target(request).complete(request, options);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stream,
  };
}
