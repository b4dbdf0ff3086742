// What the stand-in LM answers each framework, in the format that framework asked for: DSPEx's
// chat adapter asks for field markers, Ax for "Field: value" lines. Same content, same usage.
export const MARKER_REPLY = "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]";
export const AX_REPLY = "Answer: Paris is the capital of France.";
export const USAGE = { promptTokens: 120, completionTokens: 12 } as const;

/** The reply for a request whose system message (or whole body) is `text`. */
export function replyFor(text: string): string {
  return text.includes("[[ ## ") ? MARKER_REPLY : AX_REPLY;
}
