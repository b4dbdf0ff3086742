// A scripted LM for the adapter tests: answers with the next scripted reply, records every request.
import { EMPTY_USAGE, type LM, type LMCallOptions, type LMRequest, type LMResponse, type LMStreamEvent } from "../lm/types";

/** A reply, an error to throw, or a reply cut off at the output cap. */
export type Scripted = string | Error | { readonly cut: string };

export class ScriptedLM implements LM {
  readonly provider = "scripted";
  readonly defaultModel = "scripted-1";
  readonly requests: LMRequest[] = [];
  readonly options: (LMCallOptions | undefined)[] = [];
  private next = 0;

  constructor(
    private readonly replies: readonly Scripted[],
    private readonly chunkSize = 0,
  ) {}

  private take(request: LMRequest, options: LMCallOptions | undefined): LMResponse {
    this.requests.push(request);
    this.options.push(options);
    const reply = this.replies[this.next++];
    if (reply === undefined) throw new Error(`ScriptedLM: no reply scripted for call ${this.next}`);
    if (reply instanceof Error) throw reply;
    return {
      text: typeof reply === "string" ? reply : reply.cut,
      finishReason: typeof reply === "string" ? "stop" : "length",
      usage: { ...EMPTY_USAGE, inputTokens: 100, outputTokens: 20 },
      provider: this.provider,
      model: request.model ?? this.defaultModel,
      cacheHit: false,
      costUsd: 0.001,
      latencyMs: 12,
      retries: 1,
    };
  }

  async complete(request: LMRequest, options?: LMCallOptions): Promise<LMResponse> {
    return this.take(request, options);
  }

  /** Present only when built with a chunk size. */
  get stream(): LM["stream"] {
    if (!this.chunkSize) return undefined;
    const size = this.chunkSize;
    return (request: LMRequest, options?: LMCallOptions): AsyncIterable<LMStreamEvent> => {
      const response = this.take(request, options);
      return (async function* () {
        for (let i = 0; i < response.text.length; i += size) yield { type: "text", delta: response.text.slice(i, i + size) } as const;
        yield { type: "done", response } as const;
      })();
    };
  }
}
