#!/usr/bin/env node
// Garbage-collector pauses of nedis holding many keys: starts nedis with --trace-gc, loads N keys
// (key:<i> → 16-byte values) with pipelined MSET, then runs redis-benchmark SET and GET over the
// same key range, and reports every pause the trace printed (scavenges and mark-compacts).
//
//   node packages/keyspace/bench/gc-pauses.mjs [--keys 5000000] [--seconds 10] [--json]
//   NEDIS_NODE_FLAGS="--single-threaded-gc" node … (extra node flags for the nedis process)
import { spawnSync } from "node:child_process";
import net from "node:net";
import { parseFlags, percentile, startServer } from "./serverProcess.mjs";

const flags = parseFlags(process.argv.slice(2), { keys: "5000000", seconds: "10", json: "" });
if (flags.help) {
  console.log("usage: gc-pauses.mjs [--keys n] [--seconds s] [--json]");
  process.exit(0);
}
const KEYS = Number(flags.keys);

let trace = "";
const server = await startServer("nedis", [], { nodeArgs: ["--trace-gc"], onOutput: (t) => (trace += t) });

/** Pipelined MSET loader over one raw connection (1,000 pairs per command, 20 commands in flight). */
async function load() {
  const socket = net.connect({ host: "127.0.0.1", port: server.port });
  await new Promise((r) => socket.once("connect", r));
  const value = "v".repeat(16);
  let pendingReplies = 0;
  let buffered = "";
  let waiter = null;
  socket.setEncoding("latin1").on("data", (d) => {
    buffered += d;
    let idx;
    while ((idx = buffered.indexOf("\r\n")) >= 0) {
      const line = buffered.slice(0, idx);
      buffered = buffered.slice(idx + 2);
      if (line !== "+OK") throw new Error(`load failed: ${line}`);
      pendingReplies--;
    }
    if (waiter && pendingReplies <= 20) waiter();
  });
  for (let i = 0; i < KEYS; i += 1000) {
    const n = Math.min(1000, KEYS - i);
    let cmd = `*${1 + 2 * n}\r\n$4\r\nMSET\r\n`;
    for (let j = i; j < i + n; j++) {
      const key = `key:${j}`;
      cmd += `$${key.length}\r\n${key}\r\n$16\r\n${value}\r\n`;
    }
    pendingReplies++;
    if (!socket.write(cmd, "latin1") || pendingReplies > 40) await new Promise((r) => (waiter = r));
    waiter = null;
  }
  while (pendingReplies > 0) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
}

// Pauses before the first client connects (module loading, startup) are not pauses of serving.
const traceAtReady = trace.length;
const t0 = Date.now();
await load();
const loadSeconds = (Date.now() - t0) / 1000;
const traceAfterLoad = trace.length;
const requests = String(Math.round(Number(flags.seconds) * 300_000));
for (const test of ["set", "get"]) {
  spawnSync(
    "redis-benchmark",
    [
      "-p",
      String(server.port),
      "-t",
      test,
      "-n",
      requests,
      "-P",
      "16",
      "-c",
      "50",
      "-r",
      String(KEYS),
      "-d",
      "16",
      "-q",
    ],
    {
      stdio: "ignore",
      timeout: 120_000,
    },
  );
}
await server.stop();

/** `[pid:0x…]  1234 ms: Scavenge 12.3 (14.0) -> 11.1 (15.0) MB, 1.23 / 0.00 ms  …` */
function pauses(text) {
  const out = { Scavenge: [], "Mark-Compact": [], other: [] };
  for (const line of text.split("\n")) {
    const m = /\d+ ms: ([A-Za-z-]+)(?: \([^)]*\))? .*?MB, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (!m) continue;
    (out[m[1]] ?? out.other).push(Number(m[2]));
  }
  return out;
}

if (process.env.GC_TRACE_DUMP)
  for (const l of trace.split("\n")) {
    const m = /MB, ([\d.]+) \//.exec(l);
    if (m && Number(m[1]) > 2) console.log(l.trim().replace(/\(average mu.*?\)/, ""));
  }
const sections = {
  startup: pauses(trace.slice(0, traceAtReady)),
  load: pauses(trace.slice(traceAtReady, traceAfterLoad)),
  benchmark: pauses(trace.slice(traceAfterLoad)),
};
const rows = [];
for (const [phase, kinds] of Object.entries(sections)) {
  for (const [kind, list] of Object.entries(kinds)) {
    if (list.length === 0) continue;
    const sorted = [...list].sort((a, b) => a - b);
    rows.push({
      phase,
      kind,
      count: list.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted.at(-1),
    });
  }
}
if (flags.json) {
  console.log(JSON.stringify({ keys: KEYS, loadSeconds, rows }, null, 2));
} else {
  console.log(
    `## GC pauses of nedis with ${KEYS.toLocaleString("en-US")} keys (node ${process.version}; load took ${loadSeconds.toFixed(1)} s)\n`,
  );
  console.log("| phase | collector | pauses | p50 ms | p99 ms | max ms |");
  console.log("|-------|-----------|-------:|-------:|-------:|-------:|");
  for (const r of rows) console.log(`| ${r.phase} | ${r.kind} | ${r.count} | ${r.p50} | ${r.p99} | ${r.max} |`);
  console.log(
    "\nPauses as `node --trace-gc` prints them (main-thread time of each collection); startup = before the first client connected; load = pipelined MSET of the keys; benchmark = redis-benchmark SET then GET, -P 16 -c 50, over the loaded key range.",
  );
}
process.exit(0);
