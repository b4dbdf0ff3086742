// An in-process stand-in for an OpenAI-compatible endpoint at the fetch boundary: it answers a chat
// completion request with the JSON body such a server sends, at once and without a socket. Handed
// to both frameworks' real OpenAI clients, it leaves their whole client path (request building,
// SDK, response parsing, usage) to be timed, without the network's noise.
import { replyFor, USAGE } from "./replies";

export function fakeChatFetch(): typeof fetch {
  let n = 0;
  return async (_input, init) => {
    const body = typeof init?.body === "string" ? init.body : "";
    const completion = {
      id: `chatcmpl-bench-${n++}`,
      object: "chat.completion",
      created: 0,
      model: "gpt-4o-mini",
      choices: [{ index: 0, message: { role: "assistant", content: replyFor(body), refusal: null }, finish_reason: "stop", logprobs: null }],
      usage: { prompt_tokens: USAGE.promptTokens, completion_tokens: USAGE.completionTokens, total_tokens: USAGE.promptTokens + USAGE.completionTokens },
    };
    return new Response(JSON.stringify(completion), { status: 200, headers: { "content-type": "application/json" } });
  };
}
