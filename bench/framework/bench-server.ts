// The local LM server for the throughput benchmark, run in its own process so that serving does
// not compete with the clients being measured. It answers each client in the format it asked for.
import { startOpenAIServer } from "../../lib/dspex/testing";

const server = await startOpenAIServer({
  record: false,
  respond: (req) => {
    const system = String(req.body.messages?.[0]?.content ?? "");
    const text = system.includes("[[ ## ")
      ? "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]"
      : "Answer: Paris is the capital of France.";
    return { text, usage: { promptTokens: 120, completionTokens: 12 } };
  },
});
process.stdout.write(`${server.baseURL}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
