// The HTTP edges: reading a body under a size cap, parsing it once, writing JSON and error bodies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { checkJsonDepth } from "./input-guards";
import { ServingError } from "./errors";
import { findJsonError } from "./json-position";

const EMPTY = Buffer.alloc(0);

function tooLarge(limit: number, declared?: number): ServingError {
  const size = declared === undefined ? "" : ` (it declares ${declared} bytes)`;
  return new ServingError("PAYLOAD_TOO_LARGE", `the request body is larger than the limit of ${limit} bytes${size}; send less data, or split a batch into smaller ones`, [{ field: "body", message: `is over ${limit} bytes` }], { connection: "close" });
}

/** The whole request body, or a PAYLOAD_TOO_LARGE error as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const n = Number(declared);
    if (n > limit) return Promise.reject(tooLarge(limit, n));
    if (n === 0) return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let size = 0;
    const cleanup = () => {
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", onError);
      req.removeListener("close", onClose);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      if (first === undefined) first = chunk;
      else (chunks ??= [first]).push(chunk);
    }
    function onEnd() {
      cleanup();
      resolve(chunks ? Buffer.concat(chunks, size) : (first ?? EMPTY));
    }
    function onError(err: Error) {
      cleanup();
      reject(new ServingError("INVALID_REQUEST", `the request body could not be read: ${err.message}`, [{ field: "body", message: "could not be read" }]));
    }
    function onClose() {
      cleanup();
      reject(new ServingError("ABORTED", "the client closed the connection before sending the whole body"));
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/** Parses a JSON body once; a syntax error names its position, line and column. */
export function parseJson(body: Buffer, limits: { readonly maxJsonDepth: number } = { maxJsonDepth: Infinity }): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw new ServingError("INVALID_JSON", 'the request body is empty; send a JSON object, e.g. {"input": {...}}', [{ field: "body", message: "is empty" }]);
  checkJsonDepth(text, limits);
  try {
    return JSON.parse(text);
  } catch (err) {
    const p = findJsonError(text);
    const where = p ? `${p.message} at position ${p.position} (line ${p.line}, column ${p.column})` : err instanceof Error ? err.message : String(err);
    throw new ServingError("INVALID_JSON", `the request body is not valid JSON: ${where}`, [{ field: "body", message: `is not valid JSON: ${where}` }]);
  }
}

const JSON_TYPE = "application/json; charset=utf-8";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void {
  const text = JSON.stringify(body);
  if (headers === undefined) {
    res.writeHead(status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  } else {
    res.writeHead(status, { "content-type": JSON_TYPE, "content-length": Buffer.byteLength(text), "cache-control": "no-store", ...headers });
  }
  res.end(text);
}

export function sendError(res: ServerResponse, err: ServingError, headers?: Readonly<Record<string, string>>): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  sendJson(res, err.status, err.body(), err.headers || headers ? { ...err.headers, ...headers } : undefined);
}
