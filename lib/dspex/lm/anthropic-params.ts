// LMRequest -> Messages API request body. System messages become `system` (a cached text block),
// roles are made to alternate, tool messages become tool_result blocks, a JSON schema asked for
// becomes one forced tool (structured output that works on every Claude model), reasoning effort
// becomes an extended-thinking budget, and what the API refuses (temperature above 1, temperature
// or top_p with thinking, seed, n) is adapted here instead of failing upstream.

import { DspexError } from "../errors";
import type { ChatMessage, LMRequest, ReasoningEffort } from "./types";

/** The tool that carries structured output; its input is the reply. */
export const OUTPUT_TOOL = "json_output";

export const THINKING_BUDGETS: Readonly<Record<ReasoningEffort, number>> = { minimal: 1024, low: 2048, medium: 8192, high: 24_576 };

export interface AnthropicParamsOptions {
  /** max_tokens when the request sets none (the API requires one). */
  readonly defaultMaxTokens: number;
  /** Mark the system prompt and the turns before the last (the demos) for prompt caching. */
  readonly promptCaching: boolean;
  /** Extended thinking is sent only for these models (reasoningEffort is dropped for others). */
  readonly thinkingModels: RegExp;
}

type Block = Record<string, unknown>;
interface Turn {
  role: "user" | "assistant";
  content: Block[];
}

const CACHE = Object.freeze({ type: "ephemeral" });

export function buildMessagesParams(request: LMRequest, model: string, options: AnthropicParamsOptions, stream: boolean): Record<string, unknown> {
  const system: Block[] = [];
  const turns: Turn[] = [];
  request.messages.forEach((m, i) => {
    if (m.role === "system") system.push({ type: "text", text: m.content });
    else push(turns, m.role === "assistant" ? "assistant" : "user", blocksOf(m, i));
  });
  if (turns.length === 0 || turns[0]?.role !== "user") turns.unshift({ role: "user", content: [{ type: "text", text: "(continue)" }] });
  if (options.promptCaching) {
    const lastSystem = system.at(-1);
    if (lastSystem !== undefined) lastSystem.cache_control = CACHE;
    const beforeLast = turns.length > 1 ? turns[turns.length - 2]?.content.at(-1) : undefined;
    if (beforeLast !== undefined) beforeLast.cache_control = CACHE;
  }

  const thinking = request.reasoningEffort !== undefined && options.thinkingModels.test(model) ? THINKING_BUDGETS[request.reasoningEffort] : undefined;
  let maxTokens = request.maxTokens ?? options.defaultMaxTokens;
  // The budget is part of max_tokens and must stay below it.
  if (thinking !== undefined && maxTokens <= thinking) maxTokens = thinking + maxTokens;
  const params: Record<string, unknown> = { model, max_tokens: maxTokens, messages: turns };
  if (system.length > 0) params.system = system;
  if (thinking !== undefined) params.thinking = { type: "enabled", budget_tokens: thinking };
  else {
    if (request.temperature !== undefined) params.temperature = Math.min(1, request.temperature);
    if (request.topP !== undefined) params.top_p = request.topP;
  }
  if (request.stop !== undefined && request.stop.length > 0) params.stop_sequences = request.stop.filter((s) => s.trim() !== "");

  const tools: Block[] = (request.tools ?? []).map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
  const format = request.responseFormat;
  if (format !== undefined && thinking === undefined) {
    const schema = format.type === "json_schema" ? format.schema : { type: "object", additionalProperties: true };
    tools.push({ name: OUTPUT_TOOL, description: "Reply by calling this tool with the output fields.", input_schema: schema });
    params.tool_choice = { type: "tool", name: OUTPUT_TOOL };
  }
  if (tools.length > 0) params.tools = tools;
  if (stream) params.stream = true;
  return params;
}

function push(turns: Turn[], role: "user" | "assistant", content: Block[]): void {
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...content);
  else turns.push({ role, content });
}

function blocksOf(m: ChatMessage, index: number): Block[] {
  switch (m.role) {
    case "user":
      return [{ type: "text", text: m.content }];
    case "assistant": {
      const blocks: Block[] = m.content !== "" ? [{ type: "text", text: m.content }] : [];
      for (const call of m.toolCalls ?? []) blocks.push({ type: "tool_use", id: call.id, name: call.name, input: parseArguments(call.arguments) });
      return blocks.length > 0 ? blocks : [{ type: "text", text: "(no reply)" }];
    }
    case "tool":
      if (m.toolCallId === undefined) {
        throw new DspexError("INPUT_INVALID", `LM request: messages[${index}] has role "tool" but no toolCallId; set toolCallId to the id of the assistant tool call it answers`);
      }
      return [{ type: "tool_result", tool_use_id: m.toolCallId, content: m.content }];
    default:
      throw new DspexError("INPUT_INVALID", `LM request: messages[${index}].role is "${String((m as { role: unknown }).role)}"; use "system", "user", "assistant" or "tool"`);
  }
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { arguments: text };
  }
}
