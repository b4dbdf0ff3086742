export { startOpenAIServer } from "./openai-server";
export type { OpenAIServer, OpenAIServerOptions, ReceivedRequest, Respond } from "./openai-server";
export type { ChatRequestBody, ServerReply, ServerToolCall, ServerUsage, TextReply } from "./openai-server";
export { describeAdapterContract, replyFor } from "./adapter-contract";
