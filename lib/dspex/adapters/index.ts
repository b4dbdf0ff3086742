// Adapters: how a signature becomes messages and a reply becomes outputs.
export type { Adapter, AdapterParams, Demo, FieldDelta, FieldStreamParser, FormattedCall } from "./types";
export { ChatAdapter, chatAdapter, splitByMarkers, CHAT_ADAPTER_NAME } from "./chat-adapter";
export { JSONAdapter, jsonAdapter, JSON_ADAPTER_NAME } from "./json-adapter";
export { createChatStreamParser } from "./chat-stream-parser";
export { createJsonStreamParser } from "./json-stream-parser";
export { AdapterParseError } from "./adapter-parse-error";
export { callWithAdapter } from "./call";
export type { CallWithAdapterArgs, CallWithAdapterResult, LMCallRecordDraft } from "./adapter-run";
export { streamWithAdapter, type StreamEvent } from "./stream";
export { toOpenAIMessages, formatMessagesAsText, type OpenAIChatMessage } from "./export";
export { marker, MARKER_PATTERN, COMPLETED } from "./markers";
