// Stand-in providers for tests, benches and end-to-end runs (see stand-in.ts), and the Anthropic
// Messages protocol server under them. The OpenAI protocol server lives in lib/dspex/testing.
export { startStandIn, anthropicToLMRequest } from "./stand-in";
export type { StandIn, StandInModel, StandInOptions, StandInPrice, StandInProtocol, StandInRequest, StandInScript } from "./stand-in";
export { DEFAULT_STAND_IN_MODELS } from "./stand-in-defaults";
export { startAnthropicServer, countTokens } from "./anthropic-server";
export type { AnthropicServer, AnthropicServerOptions, AnthropicRespond, ReceivedMessagesRequest, AnthropicReply, AnthropicDraft, AnthropicBlock, MessagesRequest } from "./anthropic-server";
export { proseOf } from "./prose";
