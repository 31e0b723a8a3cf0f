#!/usr/bin/env node
// Allocation evidence for the server path: bytes allocated per parsed command and the number of
// young-generation GCs (scavenges) while parsing 1,000,000 pipelined SET/GET commands.
// Run: node bench/allocations.mjs (it re-runs itself with --expose-gc and a 1 GB young
// generation, so that no GC hides allocations and the heap growth is what was allocated).
import { execFileSync } from "node:child_process";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ReplyWriter, RequestParser, RespDecoder } from "../dist/index.js";
import { loadRedisParser } from "./competitors.mjs";
import { requestWorkload } from "./workloads.mjs";

const self = fileURLToPath(import.meta.url);
const [mode, candidate] = process.argv.slice(2);

const CANDIDATES = {
  "nedis RequestParser + ReplyWriter (server path)": () => {
    const p = new RequestParser();
    const w = new ReplyWriter();
    return (chunk) => {
      p.feed(chunk);
      while (p.next()) {
        // Reply as a server would: +OK to SET, the key's bytes as a bulk to GET.
        if (p.argEquals(0, "set")) w.simple("OK");
        else w.bulk(p.buffer, p.offsets[1], p.offsets[1] + p.lengths[1]);
      }
      w.clear();
    };
  },
  "nedis RequestParser": () => {
    const p = new RequestParser();
    let n = 0;
    return (chunk) => {
      p.feed(chunk);
      while (p.next()) n += p.lengths[1];
    };
  },
  "redis-parser (buffers)": () => {
    const RedisParser = loadRedisParser();
    const p = new RedisParser({ returnReply() {}, returnError() {}, returnBuffers: true });
    return (chunk) => p.execute(chunk);
  },
  "nedis RespDecoder (strings)": () => {
    const d = new RespDecoder();
    return (chunk) => {
      d.feed(chunk);
      while (d.next() !== undefined);
    };
  },
};

if (mode !== "child") {
  console.log("| parser | bytes allocated / command | scavenges per 1M commands (default heap) |");
  console.log("| --- | ---: | ---: |");
  for (const name of Object.keys(CANDIDATES)) {
    const run = (flags, what) =>
      JSON.parse(execFileSync(process.execPath, [...flags, self, "child", name, what]).toString());
    const big = run(["--expose-gc", "--max-semi-space-size=1024", "--min-semi-space-size=1024"], "bytes");
    const gcs = run(["--expose-gc"], "gcs");
    console.log(`| ${name} | ${big.bytesPerCommand.toFixed(1)} | ${gcs.scavenges} |`);
  }
} else {
  const w = requestWorkload(1000, 20_000);
  const parse = CANDIDATES[candidate]();
  const pass = () => {
    for (const chunk of w.chunks) parse(chunk);
  };
  for (let i = 0; i < 30; i++) pass(); // warm up the JIT
  let scavenges = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  });
  observer.observe({ entryTypes: ["gc"] });
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const passes = 50; // 1,000,000 commands
  for (let i = 0; i < passes; i++) pass();
  const after = process.memoryUsage().heapUsed;
  await new Promise((r) => setTimeout(r, 50)); // let GC entries arrive
  observer.disconnect();
  const commands = passes * w.commands;
  process.stdout.write(JSON.stringify({ bytesPerCommand: Math.max(0, after - before) / commands, scavenges }));
}
