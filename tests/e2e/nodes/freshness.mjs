// The freshness benchmark's measuring half (bench/nodes/freshness.sh starts
// the cluster): CHANGES changes written on the first node, each polled for on
// the second node's gate, then as many the other way; prints p50/p90/p99/max.
//   node freshness.mjs [CHANGES]
import { nodes, measureFreshness, summary } from './lib.mjs';

const changes = Number(process.argv[2] ?? 1000);
const [a, b] = nodes;
await measureFreshness({ writer: a, reader: b, changes: 20 });  // warm-up: connections, snapshots
const ab = await measureFreshness({ writer: a, reader: b, changes });
console.log(`freshness node1 -> node2: ${summary(ab)}`);
const ba = await measureFreshness({ writer: b, reader: a, changes });
console.log(`freshness node2 -> node1: ${summary(ba)}`);
const all = [...ab, ...ba];
console.log(`freshness both ways:      ${summary(all)}; over 1 s: ${all.filter((x) => x > 1000).length}`);
