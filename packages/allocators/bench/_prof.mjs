import { Session } from "node:inspector/promises";
const s = new Session(); s.connect();
await s.post("HeapProfiler.enable");
await s.post("HeapProfiler.startSampling", { samplingInterval: 512, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
await import(process.env.TARGET);
const { profile } = await s.post("HeapProfiler.stopSampling");
const res = [];
(function walk(n, stack) {
  const cf = n.callFrame; const st = [...stack, `${cf.functionName}@${cf.url.split("/").pop()}:${cf.lineNumber}:${cf.columnNumber}`];
  if (n.selfSize > 0) res.push([n.selfSize, st.slice(-3).reverse().join(" <- ")]);
  for (const c of n.children) walk(c, st);
})(profile.head, []);
res.sort((a, b) => b[0] - a[0]);
for (const [size, name] of res.slice(0, 6)) console.log(size, name);
