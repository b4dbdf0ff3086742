// Folds chat.completion.chunk events into the parts of one LMResponse: text per choice, tool calls
// assembled from their argument fragments, the finish reason, and the usage of the final chunk.

import { mapFinishReason } from "./openai-response";
import type { ReplyParts } from "./openai-response";
import { readUsage } from "./openai-usage";
import type { ToolCall } from "./types";

type Rec = Record<string, unknown>;

interface PartialCall {
  id: string;
  name: string;
  args: string;
}

export class ChunkAccumulator {
  private readonly texts: string[] = [""];
  private readonly calls: PartialCall[] = [];
  private finish: unknown;
  private rawUsage: unknown;
  private model: string | undefined;
  /** Characters of first-choice text received so far. */
  chars = 0;

  /** Adds one chunk; returns the first choice's new text ("" when there is none). */
  add(chunk: unknown): string {
    const c = chunk as Rec;
    if (c.usage != null) this.rawUsage = c.usage;
    else if ((c.x_groq as Rec | undefined)?.usage != null) this.rawUsage = (c.x_groq as Rec).usage;
    if (this.model === undefined && typeof c.model === "string" && c.model !== "") this.model = c.model;
    const choices = c.choices;
    if (!Array.isArray(choices)) return "";
    let delta0 = "";
    for (const choice of choices as Rec[]) {
      const index = typeof choice.index === "number" ? choice.index : 0;
      const delta = choice.delta as Rec | undefined;
      const content = delta?.content;
      if (typeof content === "string" && content !== "") {
        this.texts[index] = (this.texts[index] ?? "") + content;
        if (index === 0) delta0 += content;
      }
      if (index === 0) {
        if (Array.isArray(delta?.tool_calls)) this.addCalls(delta.tool_calls as Rec[]);
        if (choice.finish_reason != null) this.finish = choice.finish_reason;
      }
    }
    this.chars += delta0.length;
    return delta0;
  }

  private addCalls(fragments: readonly Rec[]): void {
    for (const f of fragments) {
      const at = typeof f.index === "number" ? f.index : this.calls.length;
      const call = (this.calls[at] ??= { id: "", name: "", args: "" });
      const fn = f.function as Rec | undefined;
      if (typeof f.id === "string") call.id = f.id;
      if (typeof fn?.name === "string") call.name += fn.name;
      if (typeof fn?.arguments === "string") call.args += fn.arguments;
    }
  }

  parts(): ReplyParts {
    const toolCalls: ToolCall[] = [];
    for (const c of this.calls) if (c !== undefined && c.name !== "") toolCalls.push({ id: c.id, name: c.name, arguments: c.args });
    const texts = this.texts.length > 1 ? Array.from(this.texts, (t) => t ?? "") : undefined;
    return {
      text: this.texts[0] ?? "",
      choices: texts,
      toolCalls: toolCalls.length > 0 ? toolCalls : undefined,
      finishReason: mapFinishReason(this.finish),
      model: this.model,
      usage: readUsage(this.rawUsage),
    };
  }
}
