// Picks the reader for a request by recognising its format: Ax's prompt template, else DSPEx's
// chat / JSON adapters (which also covers plain chats). Both readers produce the same DemoRequest,
// so deciding is the same whichever format asked; only reading and writing differ.
import type { LMRequest } from "../lm/types";
import { isAxRequest, readAxRequest } from "./read-ax-request";
import { type DemoRequest, readRequest } from "./read-request";
import { axJsonReply, axLinesReply, fencedReply, jsonReply, markerReply } from "./write-reply";

export type DemoDialect = "dspex" | "ax";

export interface DemoReading {
  readonly request: DemoRequest;
  readonly dialect: DemoDialect;
  /** Writes the output values in the format the request asked for. */
  write(values: Readonly<Record<string, unknown>>): string;
}

export function readDemoRequest(request: LMRequest): DemoReading {
  if (isAxRequest(request)) {
    const ax = readAxRequest(request);
    const fields = ax.request.outputFields;
    const write =
      ax.form === "fenced"
        ? (values: Readonly<Record<string, unknown>>) => fencedReply(fields, values)
        : ax.form === "json"
          ? (values: Readonly<Record<string, unknown>>) => axJsonReply(fields, values, ax.wireKeys)
          : (values: Readonly<Record<string, unknown>>) => axLinesReply(fields, values, ax.wireKeys);
    return { request: ax.request, dialect: "ax", write };
  }
  const parsed = readRequest(request);
  return { request: parsed, dialect: "dspex", write: (values) => (parsed.wantsJson ? jsonReply : markerReply)(parsed.outputFields, values) };
}
