// A browser stand-in for the events benchmark, in its own process: connects to the socket.io
// server, joins rooms, and measures each event's delay from the timestamp the server put in it.
import { io } from "socket.io-client";

const [url, ...rooms] = process.argv.slice(2);
const delays: number[] = [];
let counting = false;
let from = 0;

const socket = io(url!, { path: "/socket.io", transports: ["websocket"] });
const stamp = (name: string, p: Record<string, unknown>): string | undefined =>
  name === "run:started" ? (p.startedAt as string) : name === "run:finished" ? (p.endedAt as string) : name === "lmcall:recorded" ? (p.at as string) : undefined;

socket.onAny((name: string, payload: Record<string, unknown>) => {
  const ts = stamp(name, payload);
  if (!counting || !ts) return;
  const sent = Date.parse(ts);
  if (sent >= from) delays.push(Date.now() - sent);
});
socket.on("connect", async () => {
  for (const room of rooms) await socket.emitWithAck("room:join", room);
  process.send?.({ type: "ready" });
});
process.on("message", (m: { type: string; from?: number }) => {
  if (m.type === "start") {
    delays.length = 0;
    from = m.from ?? 0;
    counting = true;
  } else if (m.type === "stop") {
    counting = false;
    process.send?.({ type: "delays", delays });
  } else if (m.type === "exit") {
    socket.close();
    process.exit(0);
  }
});
