// What crosses Redis between nodes: a message entry (in a mailbox stream) and a reply (in the
// sender's reply stream), both JSON checked with zod on arrival. A message from another process
// is outside input: a malformed one is answered with an error, never handled.
import { z } from "zod";
import type { LMCallRecord, SpanRecord } from "../../../dspex";
import { AgentError, type AgentErrorCode } from "../errors";

const SpanRecordSchema = z.custom<SpanRecord>((v) => typeof v === "object" && v !== null && typeof (v as SpanRecord).id === "string" && typeof (v as SpanRecord).name === "string" && typeof (v as SpanRecord).startedAt === "number");
const LMCallRecordSchema = z.custom<LMCallRecord>((v) => typeof v === "object" && v !== null && typeof (v as LMCallRecord).id === "string" && typeof (v as LMCallRecord).model === "string");

export const WireMessageSchema = z.object({
  /** Unique per message: the reply names it. */
  id: z.string().min(1),
  type: z.string().min(1),
  payload: z.unknown().optional(),
  /** The sending agent's id. */
  from: z.string().optional(),
  /** The sender's node: where the reply (and the handler's spans) go; absent for an untraced send. */
  replyTo: z.string().optional(),
  /** The sender stops waiting at this time (epoch ms): the handler gets what is left as its timeout. */
  deadline: z.number().optional(),
  /** The message's span, opened by the sender: the handler's spans nest below it. */
  span: z.string().optional(),
  topic: z.string().optional(),
});
export type WireMessage = z.infer<typeof WireMessageSchema>;

export const WireReplySchema = z.object({
  id: z.string().min(1),
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.object({ code: z.string().optional(), name: z.string().optional(), message: z.string() }).optional(),
  /** The node and agent that handled it. */
  node: z.string(),
  agent: z.string().optional(),
  spans: z.array(SpanRecordSchema).optional(),
  lmCalls: z.array(LMCallRecordSchema).optional(),
});
export type WireReply = z.infer<typeof WireReplySchema>;

/** Stream entry fields (["m", json, "d", n]) as a message and its delivery count. */
export function decodeEntry(fields: readonly string[]): { message?: WireMessage; raw: string; deliveries: number; problem?: string } {
  let raw = "";
  let deliveries = 1;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === "m") raw = fields[i + 1]!;
    else if (fields[i] === "d") deliveries = Number(fields[i + 1]) || 1;
  }
  try {
    const parsed = WireMessageSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return { message: parsed.data, raw, deliveries };
    const issue = parsed.error.issues[0]!;
    return { raw, deliveries, problem: `message field "${issue.path.join(".") || "(message)"}": ${issue.message}` };
  } catch (err) {
    return { raw, deliveries, problem: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

const CODES = new Set<string>(["OPTION_INVALID", "SKILL_INVALID", "MESSAGE_INVALID", "MAILBOX_FULL", "AGENT_STOPPED", "AGENT_CRASHED", "TASK_TIMEOUT", "UNKNOWN_MESSAGE", "NO_CAPABLE_AGENT", "UNKNOWN_ADDRESS", "TASK_FAILED", "ACTION_DISABLED"]);

/** An error as reply data. */
export function errorToWire(error: unknown): NonNullable<WireReply["error"]> {
  if (error instanceof AgentError) return { code: error.code, name: error.name, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}

/** Reply data back to an error: an AgentError with its code when it had one. */
export function errorFromWire(error: WireReply["error"], subject?: string): Error {
  if (!error) return new Error("the agent failed without saying why");
  if (error.code && CODES.has(error.code)) return new AgentError(error.code as AgentErrorCode, error.message, subject);
  const e = new Error(error.message);
  if (error.name) e.name = error.name;
  return e;
}
