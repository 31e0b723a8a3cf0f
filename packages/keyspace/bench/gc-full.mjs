#!/usr/bin/env node
// Does the keyspace make garbage collection slower? Loads N keys into an in-process Keyspace
// (the built package, dist/) and times full, non-incremental collections (global.gc), for several
// N. The keys and values live in kv-pool pages and typed-array tables, so V8 has nothing per key
// to mark: the pause should not grow with N.
//
//   node --expose-gc packages/keyspace/bench/gc-full.mjs [--keys 1000,1000000,5000000]
import { Keyspace, StringEncodingMode } from "../dist/index.js";
import { parseFlags } from "./serverProcess.mjs";

const flags = parseFlags(process.argv.slice(2), { keys: "1000,1000000,5000000" });
const gc = globalThis.gc;
if (typeof gc !== "function") {
  console.error("run with node --expose-gc");
  process.exit(1);
}

console.log("| keys | heap used MB | RSS MB | full GC median ms | full GC min ms |");
console.log("|-----:|-------------:|-------:|------------------:|---------------:|");
for (const n of flags.keys.split(",").map(Number)) {
  const ks = new Keyspace({ timers: false });
  const db = ks.db(0);
  const value = Buffer.from("vvvvvvvvvvvvvvvv");
  const key = Buffer.alloc(32);
  for (let i = 0; i < n; i++) {
    const len = key.write(`key:${i}`, 0, "latin1");
    if (db.find(key, 0, len) < 0) db.insertString(key, 0, len, value, 0, value.length, StringEncodingMode.Auto);
  }
  while (db.index.resizing) db.index.migrate(1 << 20);
  const times = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    gc();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mem = process.memoryUsage();
  console.log(
    `| ${n.toLocaleString("en-US")} | ${(mem.heapUsed / 1e6).toFixed(1)} | ${(mem.rss / 1e6).toFixed(0)} | ${times[5].toFixed(2)} | ${times[0].toFixed(2)} |`,
  );
  ks.close();
  ks.flushAll();
}
