// An in-process LM for tests: scripted replies, every request recorded. It parses the inputs and
// the requested output fields out of DSPEx's adapter messages so a test can answer by field.
import { EMPTY_USAGE, type FinishReason, type LM, type LMRequest, type LMResponse, type LMStreamEvent, type ToolCall, type Usage } from "../lm/types";

export type FakeReply =
  | string
  | Error
  | { readonly text: string; readonly usage?: Partial<Usage>; readonly toolCalls?: readonly ToolCall[]; readonly finishReason?: FinishReason; readonly costUsd?: number };

export type FakeResponder = (request: LMRequest, index: number) => FakeReply | Promise<FakeReply>;

const MARKER = /\[\[ ## (\w+) ## \]\]\n([\s\S]*?)(?=\n*\[\[ ## |\n*Respond with|$)/g;

/** Input values from the last user message that holds them (a retry's correction turn does not). */
export function inputsOf(request: LMRequest): Record<string, string> {
  const last = [...request.messages].reverse().find((m) => m.role === "user" && !m.content.startsWith("Your previous reply could not be used"));
  const out: Record<string, string> = {};
  for (const m of (last?.content ?? "").matchAll(MARKER)) out[m[1]!] = m[2]!.trim();
  return out;
}

/** The output field names the system message asks for, in order. */
export function outputFieldsOf(request: LMRequest): string[] {
  const system = request.messages.find((m) => m.role === "system")?.content ?? "";
  const section = system.split(/Output fields:\n/)[1]?.split(/\n\n/)[0] ?? "";
  return [...section.matchAll(/^- `(\w+)`/gm)].map((m) => m[1]!);
}

/** A reply in the chat adapter's marker format. */
export function markerReply(values: Record<string, unknown>): string {
  const body = Object.entries(values)
    .map(([k, v]) => `[[ ## ${k} ## ]]\n${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("\n\n");
  return `${body}\n\n[[ ## completed ## ]]`;
}

/** Answers each request with markerReply(fn(inputs, outputFields)). */
export function byFields(fn: (inputs: Record<string, string>, outputs: string[], request: LMRequest) => Record<string, unknown>): FakeResponder {
  return (request) => markerReply(fn(inputsOf(request), outputFieldsOf(request), request));
}

export class FakeLM implements LM {
  readonly provider = "fake";
  readonly defaultModel = "fake-model";
  readonly requests: LMRequest[] = [];
  private readonly responder: FakeResponder;

  constructor(replies: readonly FakeReply[] | FakeResponder) {
    if (typeof replies === "function") this.responder = replies;
    else {
      const queue = [...replies];
      this.responder = (_req, i) => {
        const reply = queue[Math.min(i, queue.length - 1)];
        if (reply === undefined) throw new Error("FakeLM: no reply scripted");
        return reply;
      };
    }
  }

  async complete(request: LMRequest): Promise<LMResponse> {
    const index = this.requests.push(request) - 1;
    const reply = await this.responder(request, index);
    if (reply instanceof Error) throw reply;
    const r = typeof reply === "string" ? { text: reply } : reply;
    return {
      text: r.text,
      ...(r.toolCalls ? { toolCalls: r.toolCalls } : {}),
      finishReason: r.finishReason ?? "stop",
      usage: { ...EMPTY_USAGE, inputTokens: 10, outputTokens: 5, ...r.usage },
      provider: this.provider,
      model: request.model ?? this.defaultModel,
      cacheHit: false,
      costUsd: r.costUsd ?? 0,
      latencyMs: 0,
      retries: 0,
    };
  }

  async *stream(request: LMRequest): AsyncIterable<LMStreamEvent> {
    const response = await this.complete(request);
    for (let i = 0; i < response.text.length; i += 7) yield { type: "text", delta: response.text.slice(i, i + 7) };
    yield { type: "done", response };
  }
}
