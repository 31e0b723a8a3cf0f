// Where does a script allocate? Runs it under V8's sampling heap profiler, counting objects that
// died young too, and prints the call sites that allocated the most bytes. Used to check that
// the kv-pool hot path allocates nothing:
//   node --expose-gc bench/allocation-profile.mjs ./case.mjs kv-pool 300000
import { Session } from "node:inspector/promises";

const [target, ...args] = process.argv.slice(2);
if (target === undefined) throw new Error("usage: allocation-profile.mjs <script> [args...]");
process.argv = [process.argv[0], target, ...args];

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 512,
  includeObjectsCollectedByMinorGC: true,
  includeObjectsCollectedByMajorGC: true,
});
await import(new URL(target, import.meta.url).href);
const { profile } = await session.post("HeapProfiler.stopSampling");

const sites = [];
(function walk(node, stack) {
  const frame = node.callFrame;
  const here = [
    ...stack,
    `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}:${frame.lineNumber + 1}`,
  ];
  if (node.selfSize > 0) sites.push([node.selfSize, here.slice(-3).reverse().join(" <- ")]);
  for (const child of node.children) walk(child, here);
})(profile.head, []);
sites.sort((a, b) => b[0] - a[0]);
for (const [bytes, site] of sites.slice(0, 10)) console.log(`${(bytes / 1e6).toFixed(1)} MB  ${site}`);
