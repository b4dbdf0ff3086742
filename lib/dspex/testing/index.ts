export { startOpenAIServer } from "./openai-server";
export type { OpenAIServer, OpenAIServerOptions, ReceivedRequest, Respond } from "./openai-server";
export type { ChatRequestBody, ServerReply, ServerToolCall, ServerUsage, TextReply } from "./openai-server";
export { describeAdapterContract, replyFor } from "./adapter-contract";
export { FakeLM, byFields, inputsOf, outputFieldsOf, markerReply, type FakeReply, type FakeResponder } from "./fake-lm";
export { serveLM, toLMRequest } from "./serve-lm";
export { describeSamplerContract, contractSpace, contractObjective } from "./sampler-contract";
export { runSamplerStudy, trialRng, type SamplerStudyOptions, type StudyObjective } from "./sampler-study";
