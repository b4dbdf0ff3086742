// Any LM behind a real OpenAI-compatible HTTP endpoint: the offline demo model served this way
// lets the OpenAI client, other frameworks (Ax, in the benchmarks) and curl talk to it.
import type { ChatMessage, LM, LMRequest, ResponseFormat } from "../lm/types";
import { startOpenAIServer, type OpenAIServer, type OpenAIServerOptions } from "./openai-server";
import type { ChatRequestBody } from "./openai-replies";

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === "object" && p && "text" in p ? String((p as { text: unknown }).text) : "")).join("");
  return "";
}

/** The chat-completions body as an LMRequest (the fields DSPEx's LMs understand). */
export function toLMRequest(body: ChatRequestBody): LMRequest {
  const messages: ChatMessage[] = (body.messages ?? []).map((m) => ({
    role: (["system", "user", "assistant", "tool"].includes(m.role) ? m.role : m.role === "developer" ? "system" : "user") as ChatMessage["role"],
    content: text(m.content),
  }));
  const rf = body.response_format as { type?: string; json_schema?: { name?: string; schema?: Record<string, unknown>; strict?: boolean } } | undefined;
  let responseFormat: ResponseFormat | undefined;
  if (rf?.type === "json_schema" && rf.json_schema?.schema) responseFormat = { type: "json_schema", name: rf.json_schema.name ?? "outputs", schema: rf.json_schema.schema, strict: rf.json_schema.strict };
  else if (rf?.type === "json_object") responseFormat = { type: "json_object" };
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  return {
    messages,
    model: typeof body.model === "string" ? body.model : undefined,
    temperature: num(body.temperature),
    topP: num(body.top_p),
    maxTokens: num(body.max_completion_tokens) ?? num(body.max_tokens),
    seed: num(body.seed),
    n: num(body.n),
    stop: typeof body.stop === "string" ? [body.stop] : Array.isArray(body.stop) ? (body.stop as string[]) : undefined,
    responseFormat,
  };
}

export async function serveLM(lm: LM, options: Omit<OpenAIServerOptions, "respond"> = {}): Promise<OpenAIServer> {
  return startOpenAIServer({
    ...options,
    respond: async (request) => {
      const response = await lm.complete(toLMRequest(request.body));
      return {
        text: response.text,
        ...(response.choices ? { choices: response.choices } : {}),
        finishReason: response.finishReason === "other" ? "stop" : response.finishReason,
        model: response.model,
        usage: {
          promptTokens: response.usage.inputTokens,
          completionTokens: response.usage.outputTokens,
          cachedTokens: response.usage.cachedInputTokens,
          reasoningTokens: response.usage.reasoningTokens,
        },
      };
    },
  });
}
