// The Messages API request as the real service checks it: zod for the shape, then the rules the
// API enforces beyond it (alternating roles, thinking budget, temperature with thinking, the
// forced tool existing). A broken request gets the API's 400 message naming the field.

import { z } from "zod";

const CacheControl = z.object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() }).strict();

const TextBlock = z.object({ type: z.literal("text"), text: z.string(), cache_control: CacheControl.optional(), citations: z.unknown().optional() }).strict();
const ToolUseBlock = z
  .object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()), cache_control: CacheControl.optional() })
  .strict();
const ToolResultBlock = z
  .object({
    type: z.literal("tool_result"),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(TextBlock)]).optional(),
    is_error: z.boolean().optional(),
    cache_control: CacheControl.optional(),
  })
  .strict();
const ThinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string() }).strict();
const ContentBlock = z.discriminatedUnion("type", [TextBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock]);

const Message = z.object({ role: z.enum(["user", "assistant"]), content: z.union([z.string(), z.array(ContentBlock).min(1)]) }).strict();

const Tool = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
    description: z.string().optional(),
    input_schema: z.object({ type: z.literal("object") }).passthrough(),
    cache_control: CacheControl.optional(),
  })
  .strict();

const ToolChoice = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("tool"), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }).strict(),
  z.object({ type: z.literal("none") }).strict(),
]);

export const MessagesRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().min(1),
    messages: z.array(Message).min(1),
    system: z.union([z.string(), z.array(TextBlock)]).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.boolean().optional(),
    tools: z.array(Tool).optional(),
    tool_choice: ToolChoice.optional(),
    thinking: z
      .discriminatedUnion("type", [z.object({ type: z.literal("enabled"), budget_tokens: z.number().int() }).strict(), z.object({ type: z.literal("disabled") }).strict()])
      .optional(),
    metadata: z.object({ user_id: z.string().nullable().optional() }).strict().optional(),
    service_tier: z.enum(["auto", "standard_only"]).optional(),
  })
  .strict();

export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;
export type RequestBlock = z.infer<typeof ContentBlock>;

/** The request, or the API's 400 message for the first thing wrong with it. */
export function checkMessagesRequest(body: unknown): { ok: true; request: MessagesRequest } | { ok: false; message: string } {
  const parsed = MessagesRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") ?? "";
    const what = issue?.code === "unrecognized_keys" ? `Extra inputs are not permitted (${issue.keys.join(", ")})` : issue?.message === "Required" ? "Field required" : (issue?.message ?? "invalid");
    return { ok: false, message: path === "" ? what : `${path}: ${what}` };
  }
  const request = parsed.data;
  for (let i = 1; i < request.messages.length; i++) {
    if (request.messages[i]?.role === request.messages[i - 1]?.role) {
      return { ok: false, message: `messages: roles must alternate between "user" and "assistant", but found multiple "${request.messages[i]?.role}" roles in a row` };
    }
  }
  if (request.messages[0]?.role !== "user") return { ok: false, message: "messages: first message must use the \"user\" role" };
  if (request.thinking?.type === "enabled") {
    const budget = request.thinking.budget_tokens;
    if (budget < 1024) return { ok: false, message: "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024" };
    if (budget >= request.max_tokens) return { ok: false, message: "`max_tokens` must be greater than `thinking.budget_tokens`" };
    if (request.temperature !== undefined && request.temperature !== 1) {
      return { ok: false, message: "`temperature` may only be set to 1 when thinking is enabled" };
    }
    if (request.tool_choice?.type === "tool" || request.tool_choice?.type === "any") {
      return { ok: false, message: "Thinking may not be enabled when tool_choice forces tool use." };
    }
  }
  const choice = request.tool_choice;
  if (choice?.type === "tool" && !(request.tools ?? []).some((t) => t.name === choice.name)) {
    return { ok: false, message: `tool_choice: tool "${choice.name}" was not found in tools` };
  }
  return { ok: true, request };
}

/** Plain text of a block list or string (what the model "reads"). */
export function blocksText(content: string | readonly RequestBlock[] | undefined): string {
  if (content === undefined) return "";
  if (typeof content === "string") return content;
  return content
    .map((b) => (b.type === "text" ? b.text : b.type === "tool_result" ? blocksText(b.content) : b.type === "tool_use" ? JSON.stringify(b.input) : ""))
    .join("\n");
}

/**
 * The prompt prefix up to and including the last block marked `cache_control` (tools, then system,
 * then messages, the order the API caches in), as text; "" when nothing is marked.
 */
export function cachedPrefix(request: MessagesRequest): string {
  const parts: { text: string; marked: boolean }[] = [];
  for (const t of request.tools ?? []) parts.push({ text: JSON.stringify(t), marked: t.cache_control !== undefined });
  if (Array.isArray(request.system)) for (const b of request.system) parts.push({ text: b.text, marked: b.cache_control !== undefined });
  else if (request.system !== undefined) parts.push({ text: request.system, marked: false });
  for (const m of request.messages) {
    if (typeof m.content === "string") parts.push({ text: m.content, marked: false });
    else for (const b of m.content) parts.push({ text: blocksText([b]), marked: "cache_control" in b && b.cache_control !== undefined });
  }
  let last = -1;
  parts.forEach((p, i) => {
    if (p.marked) last = i;
  });
  return parts
    .slice(0, last + 1)
    .map((p) => p.text)
    .join("\n");
}

/** All the text the model reads (for counting input tokens). */
export function promptText(request: MessagesRequest): string {
  const system = typeof request.system === "string" ? request.system : (request.system ?? []).map((b) => b.text).join("\n");
  const tools = (request.tools ?? []).map((t) => JSON.stringify(t)).join("\n");
  return [tools, system, ...request.messages.map((m) => blocksText(m.content))].filter((s) => s !== "").join("\n");
}
