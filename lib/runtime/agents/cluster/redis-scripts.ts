// The cluster's atomic steps, as Lua scripts run by Redis (EVALSHA, loaded on first use):
// liveness with Redis's own clock, the leader's lease, a bounded enqueue (back-pressure), the
// completion that publishes a reply and acknowledges a message only while this consumer still
// owns it (so a message redelivered elsewhere is completed at most once), and the redelivery
// of a dead consumer's messages with a delivery count.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

const SCRIPTS = {
  /** ARGV: node, ttlMs. Refreshes the node's expiry; returns Redis's time in ms. */
  heartbeat: `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return now`,
  now: `local t = redis.call('TIME')
return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`,
  /** KEYS: leader. ARGV: node, ttlMs. 1 when this node holds the lease (taken or renewed). */
  lease: `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
  /** KEYS: leader. ARGV: node. Gives the lease up (on a graceful stop). */
  release: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  /** KEYS: hash. ARGV: field, text. Deletes the field only while it still holds this text (compare and delete). */
  forget: `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`,
  /** KEYS: stream. ARGV: capacity, message, deliveries. The entry id, or false when the mailbox is full. */
  enqueue: `if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
return redis.call('XADD', KEYS[1], '*', 'm', ARGV[2], 'd', ARGV[3])`,
  /** KEYS: stream, reply stream ('' for none). ARGV: group, id, consumer, reply. 1 when completed, 0 when no longer ours. */
  complete: `local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return 0 end
if KEYS[2] ~= '' then redis.call('XADD', KEYS[2], 'MAXLEN', '~', 100000, '*', 'r', ARGV[4]) end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1`,
  /**
   * KEYS: stream. ARGV: group, id, consumer, maxDeliveries, count (1: this delivery counts).
   * Takes the entry from the consumer and adds it again at the tail with its delivery count, or,
   * past maxDeliveries, returns it as dead: {'dead', message, deliveries}.
   */
  requeue: `local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
if #p == 0 or p[1][2] ~= ARGV[3] then return false end
local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if #e == 0 then return false end
local f = e[1][2]
local m, d = nil, 1
for i = 1, #f, 2 do
  if f[i] == 'm' then m = f[i + 1] elseif f[i] == 'd' then d = tonumber(f[i + 1]) end
end
if m == nil then return false end
if tonumber(ARGV[5]) == 0 then d = d - 1 end
if d >= tonumber(ARGV[4]) then return {'dead', m, tostring(d)} end
redis.call('XADD', KEYS[1], '*', 'm', m, 'd', tostring(d + 1))
return {'requeued', m, tostring(d + 1)}`,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
const SHAS = Object.fromEntries(Object.entries(SCRIPTS).map(([k, v]) => [k, createHash("sha1").update(v).digest("hex")])) as Record<ScriptName, string>;

/** Runs a script by its sha, loading it when Redis does not know it yet. */
export async function runScript(redis: Redis, name: ScriptName, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  try {
    return await redis.evalsha(SHAS[name], keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes("NOSCRIPT")) throw err;
    return redis.eval(SCRIPTS[name], keys.length, ...keys, ...args);
  }
}
