// LMRequest -> chat.completions request body, adapted to a provider profile: parameters the
// provider or model does not take are renamed or dropped here, never sent to fail upstream.

import { DspexError } from "../errors";
import type { ProviderProfile } from "./profiles";
import type { ChatMessage, LMRequest, ReasoningEffort, ResponseFormat, ToolSpec } from "./types";

/** The JSON body sent to /chat/completions (a plain object: some providers take extra fields). */
export type ChatParams = Record<string, unknown>;

/** How one model of one provider is treated; computed once per model and memoized by the client. */
export interface ModelTraits {
  readonly reasoning: boolean;
  readonly systemAsUser: boolean;
  readonly jsonSchema: boolean;
  /** o-series models know no "minimal" effort (gpt-5 does). */
  readonly minimalEffort: boolean;
}

export function modelTraits(profile: ProviderProfile, model: string): ModelTraits {
  const reasoning = profile.reasoningModels?.test(model) ?? false;
  return {
    reasoning,
    systemAsUser: profile.systemAsUserModels?.test(model) ?? false,
    jsonSchema: profile.jsonSchema && (profile.jsonSchemaModels?.test(model) ?? true),
    minimalEffort: !reasoning || /^gpt-5/.test(model),
  };
}

/**
 * Builds the request body. `n` is the number of choices to ask for in this one request (the
 * client passes 1 when it emulates n > 1 with parallel requests).
 */
export function buildChatParams(
  request: LMRequest,
  model: string,
  profile: ProviderProfile,
  traits: ModelTraits,
  n: number,
  stream: boolean,
): ChatParams {
  const params: ChatParams = { model, messages: mapMessages(request.messages, profile, traits) };
  const reasoning = traits.reasoning;
  if (request.maxTokens !== undefined) params[reasoning ? "max_completion_tokens" : profile.maxTokensParam] = request.maxTokens;
  if (request.temperature !== undefined && (!reasoning || request.temperature === 1)) {
    const max = profile.temperatureMax;
    params.temperature = max !== undefined && request.temperature > max ? max : request.temperature;
  }
  if (request.topP !== undefined && !reasoning) params.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0 && !reasoning) params.stop = request.stop;
  if (request.seed !== undefined && profile.seed) params.seed = request.seed;
  if (request.reasoningEffort !== undefined) addReasoningEffort(params, request.reasoningEffort, profile, traits);
  if (n > 1) params.n = n;
  if (request.tools !== undefined && request.tools.length > 0) params.tools = mapTools(request.tools);
  if (request.responseFormat !== undefined) {
    const format = mapResponseFormat(request.responseFormat, profile, traits);
    if (format !== undefined) params.response_format = format;
  }
  if (stream) {
    params.stream = true;
    if (profile.streamUsage) params.stream_options = STREAM_OPTIONS;
  }
  return params;
}

const STREAM_OPTIONS = Object.freeze({ include_usage: true });

function addReasoningEffort(params: ChatParams, effort: ReasoningEffort, profile: ProviderProfile, traits: ModelTraits): void {
  if (profile.reasoningEffort === false) return;
  // Providers that know their reasoning models refuse reasoning_effort on the others.
  if (profile.reasoningModels !== undefined && !traits.reasoning) return;
  const value = effort === "minimal" && !traits.minimalEffort ? "low" : effort;
  if (profile.reasoningEffort === "reasoning") params.reasoning = { effort: value };
  else params.reasoning_effort = value;
}

function mapMessages(messages: readonly ChatMessage[], profile: ProviderProfile, traits: ModelTraits): unknown[] {
  const out: unknown[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as ChatMessage;
    switch (m.role) {
      case "system":
        out[i] = { role: traits.systemAsUser ? "user" : "system", content: m.content };
        break;
      case "user":
        out[i] = m.name !== undefined && profile.messageName ? { role: "user", content: m.content, name: m.name } : { role: "user", content: m.content };
        break;
      case "assistant":
        out[i] = mapAssistant(m, profile);
        break;
      case "tool":
        if (m.toolCallId === undefined) {
          throw new DspexError(
            "INPUT_INVALID",
            `LM request: messages[${i}] has role "tool" but no toolCallId; set toolCallId to the id of the assistant tool call it answers`,
          );
        }
        out[i] = { role: "tool", content: m.content, tool_call_id: m.toolCallId };
        break;
      default:
        throw new DspexError(
          "INPUT_INVALID",
          `LM request: messages[${i}].role is "${String((m as { role: unknown }).role)}"; use "system", "user", "assistant" or "tool"`,
        );
    }
  }
  return out;
}

function mapAssistant(m: ChatMessage, profile: ProviderProfile): unknown {
  const calls = m.toolCalls;
  const message: Record<string, unknown> = { role: "assistant", content: calls !== undefined && calls.length > 0 && m.content === "" ? null : m.content };
  if (m.name !== undefined && profile.messageName) message.name = m.name;
  if (calls !== undefined && calls.length > 0) {
    message.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
  }
  return message;
}

function mapTools(tools: readonly ToolSpec[]): unknown[] {
  return tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

function mapResponseFormat(format: ResponseFormat, profile: ProviderProfile, traits: ModelTraits): unknown {
  if (format.type === "json_schema") {
    if (traits.jsonSchema) {
      const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
      if (format.strict !== undefined) schema.strict = format.strict;
      return { type: "json_schema", json_schema: schema };
    }
    // The adapter's prompt still describes the schema; ask for JSON where that is all the provider offers.
    return profile.jsonObject ? { type: "json_object" } : undefined;
  }
  return profile.jsonObject ? { type: "json_object" } : undefined;
}
