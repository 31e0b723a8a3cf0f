// kv-pool vs Map<string, Buffer> vs Map<string, string>, `key:N` -> 16-byte values.
//
//   pnpm --filter @nedis/allocators bench [--entries 1000000,5000000] [--repeats 2] [--json out.json]
//
// Each case runs in its own child process (clean RSS) with --trace-gc; the worst GC pause is the
// largest main-thread pause V8 reports, excluding the GCs the bench forces before measuring
// memory. Cases are interleaved (A B C A B C ...) so machine noise hits all of them alike; the
// table shows the median of the repeats.

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const IMPLS = ["map-buffer", "map-string", "kv-pool"];

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const entryCounts = option("entries", "1000000,5000000").split(",").map(Number);
const repeats = Number(option("repeats", "2"));
const jsonPath = option("json", "");

/** Largest main-thread pause (ms) in V8's --trace-gc output, forced ("testing") GCs excluded. */
function parseGcTrace(stdout) {
  let worst = 0;
  let worstKind = "";
  let scavenges = 0;
  let markCompacts = 0;
  for (const line of stdout.split("\n")) {
    const match =
      / (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)\b.*?, ([\d.]+) \/ [\d.]+ ms/.exec(line);
    if (match === null || line.includes("testing")) continue;
    if (match[1] === "Scavenge") scavenges++;
    else markCompacts++;
    const pause = Number(match[2]);
    const step = /biggest step ([\d.]+) ms/.exec(line);
    const largest = Math.max(pause, step === null ? 0 : Number(step[1]));
    if (largest > worst) {
      worst = largest;
      worstKind = match[1];
    }
  }
  return { worstGcPauseMs: worst, worstGcKind: worstKind, scavenges, markCompacts };
}

function runCase(impl, entries) {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--trace-gc", "--max-old-space-size=12288", join(here, "case.mjs"), impl, String(entries)],
    { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`${impl} ${entries} failed:\n${child.stderr}`);
  const resultLine = child.stdout.split("\n").find((line) => line.startsWith("RESULT "));
  if (resultLine === undefined) throw new Error(`${impl} ${entries} printed no result`);
  const result = { ...JSON.parse(resultLine.slice(7)), ...parseGcTrace(child.stdout) };
  if (result.mismatches !== 0) throw new Error(`${impl} ${entries}: ${result.mismatches} wrong reads`);
  return result;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fields = [
  "rssPerEntry",
  "heapPerEntry",
  "arrayBuffersPerEntry",
  "insertOps",
  "lookupOps",
  "overwriteOps",
  "deleteOps",
  "worstGcPauseMs",
  "rssLoaded",
  "rssAfterChurn",
];
const results = [];
for (const entries of entryCounts) {
  const runs = Object.fromEntries(IMPLS.map((impl) => [impl, []]));
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const impl of IMPLS) {
      const result = runCase(impl, entries);
      runs[impl].push(result);
      process.stderr.write(
        `${impl} ${entries} #${repeat + 1}: ${Math.round(result.rssPerEntry)} B/entry, worst GC ${result.worstGcPauseMs} ms\n`,
      );
    }
  }
  for (const impl of IMPLS) {
    const summary = { impl, entries, repeats };
    for (const field of fields) summary[field] = median(runs[impl].map((r) => r[field]));
    summary.churnRatio = summary.rssAfterChurn / summary.rssLoaded;
    summary.runs = runs[impl];
    results.push(summary);
  }
}

const fmt = (n, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mops = (n) => `${fmt(n / 1e6, 2)} M/s`;
const lines = [
  `Node ${process.version}, ${repeats} interleaved run(s) per case, median shown.`,
  "",
  "| entries | store | RSS B/entry | V8 heap B/entry | ArrayBuffer B/entry | insert | lookup | overwrite | delete | worst GC pause | RSS after 10 overwrite rounds / after load |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
];
for (const r of results) {
  lines.push(
    `| ${fmt(r.entries)} | ${r.impl} | ${fmt(r.rssPerEntry)} | ${fmt(r.heapPerEntry)} | ${fmt(r.arrayBuffersPerEntry)} | ${mops(r.insertOps)} | ${mops(r.lookupOps)} | ${mops(r.overwriteOps)} | ${mops(r.deleteOps)} | ${fmt(r.worstGcPauseMs, 1)} ms | ${fmt(r.churnRatio, 2)}× |`,
  );
}
lines.push(
  "",
  "kv-pool against Map<string, Buffer> (targets: memory ≤ 0.50, worst GC pause ≤ 0.10, churn ≤ 1.10×):",
  "",
);
for (const entries of entryCounts) {
  const pool = results.find((r) => r.entries === entries && r.impl === "kv-pool");
  const map = results.find((r) => r.entries === entries && r.impl === "map-buffer");
  lines.push(
    `- ${fmt(entries)}: memory ${fmt(pool.rssPerEntry / map.rssPerEntry, 2)}, worst GC pause ${fmt(pool.worstGcPauseMs / map.worstGcPauseMs, 3)}, churn ${fmt(pool.churnRatio, 2)}× (Map: ${fmt(map.churnRatio, 2)}×)`,
  );
}
console.log(lines.join("\n"));
if (jsonPath !== "") writeFileSync(jsonPath, JSON.stringify(results, null, 2));
