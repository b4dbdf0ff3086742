// A message in an agent's mailbox with its reply channel, its span in the sender's trace, and
// the controller that cancels its handling once nobody waits for the reply any more.
import { endMessageSpan, type OpenMessageSpan } from "./messaging/message-span";
import type { AgentMessage } from "./types";

export interface Envelope {
  readonly message: AgentMessage;
  readonly onCrash: "redeliver" | "fail";
  /** The sending agent's id, when an agent sent it. */
  readonly from?: string;
  /** The message's span, when the sender traces its run. */
  readonly span?: OpenMessageSpan;
  /** Whether its sender may stop waiting (an ask with a timeout or a signal): only then does its handler get a signal of its own. */
  readonly cancellable: boolean;
  /** Set while a handler holds a cancellable message: aborted when the message is settled without it (timeout, the sender gave up). */
  cancel?: AbortController;
  deliveries: number;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Settles once: ends the span, answers the sender, and cancels a handler still at work on it. */
export function settle(envelope: Envelope, how: "resolve" | "reject", value: unknown): void {
  if (envelope.settled) return;
  envelope.settled = true;
  if (envelope.span) endMessageSpan(envelope.span, how === "resolve" ? { ok: true, value } : { ok: false, error: value });
  if (how === "resolve") envelope.resolve(value);
  else {
    envelope.cancel?.abort(value);
    envelope.reject(value);
  }
}
