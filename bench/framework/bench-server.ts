// The local LM server for the throughput benchmark, run in its own process so that serving does
// not compete with the clients being measured. It answers each client in the format it asked for.
import { startOpenAIServer } from "../../lib/dspex/testing";
import { replyFor, USAGE } from "./replies";

const server = await startOpenAIServer({
  record: false,
  respond: (req) => ({ text: replyFor(String(req.body.messages?.[0]?.content ?? "")), usage: USAGE }),
});
process.stdout.write(`${server.baseURL}\n`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
