// Loaded before a skill package in its own process (node --import data:...): every outgoing TCP
// connection (net, http, https, fetch) goes through net.Socket.prototype.connect, which here
// refuses hosts the package did not declare; UDP and Unix sockets are refused outright. The
// patched properties cannot be put back (not writable, not configurable). The file system, child
// processes and workers are denied by Node's permission model. Plain JavaScript in a string: the
// package's process runs no loader, and the compiled server ships no .mjs files.
export const GUARD_SOURCE = String.raw`
import dgram from "node:dgram";
import net from "node:net";

const allowed = JSON.parse(process.env.DSPEX_ACTION_NETWORK ?? "[]");

function permitted(host, port) {
  const h = String(host ?? "localhost").toLowerCase().replace(/^\[|\]$/g, "");
  return allowed.some((entry) => {
    const [name, p] = String(entry).toLowerCase().split(":");
    return name === h && (p === undefined || Number(p) === Number(port));
  });
}

function target(args) {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") return { host: first.host ?? first.hostname, port: first.port, path: first.path };
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  return { port: first, host: typeof args[1] === "string" ? args[1] : undefined };
}

const connect = net.Socket.prototype.connect;
Object.defineProperty(net.Socket.prototype, "connect", {
  value: function guardedConnect(...args) {
    const t = target(args);
    if (t.path !== undefined || !permitted(t.host, t.port)) {
      const where = t.path !== undefined ? "the socket " + t.path : (t.host ?? "localhost") + ":" + t.port;
      const error = Object.assign(new Error("network access to " + where + " is not among this skill package's declared hosts (" + (allowed.join(", ") || "none") + ")"), { code: "ERR_NETWORK_NOT_DECLARED" });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  },
  writable: false,
  configurable: false,
});
Object.defineProperty(dgram, "createSocket", {
  value: () => {
    throw Object.assign(new Error("UDP is not available to skill packages"), { code: "ERR_NETWORK_NOT_DECLARED" });
  },
  writable: false,
  configurable: false,
});
`;
