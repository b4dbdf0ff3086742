// One process of the cross-process bench: a cluster node hosting the bench system.
//   node --import tsx bench/agents/cluster-node-child.ts <redis-url> <prefix>
// Prints READY once it has joined; SIGTERM leaves the cluster and exits.
import { startClusterNode } from "../../lib/runtime/agents";
import { benchSystem } from "./bench-system";

const [redisUrl, prefix] = process.argv.slice(2) as [string, string];
const node = await startClusterNode({ redisUrl, prefix, systems: [benchSystem] });
process.on("SIGTERM", () => void node.stop().then(() => process.exit(0)));
process.stdout.write(`READY ${node.id}\n`);
