#!/usr/bin/env node
// Runs the suites (all, or those named on the command line) and prints markdown tables.
// Every measurement is a fresh process timed in CPU time; rounds interleave the candidates, and the ratio column
// is the median of per-round ratios, which a busy shared machine disturbs least.
// Env: BENCH_ROUNDS (default 5), BENCH_MS (CPU time per measurement, default 400),
// BENCH_BASELINE (an older ESM build to include as "first-cut").
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suites } from "./suites.mjs";

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const cpuMs = Number(process.env.BENCH_MS ?? 400);
const selected = process.argv.slice(2).filter((a) => a !== "--");
const names = selected.length > 0 ? selected : Object.keys(suites);
const measureOne = fileURLToPath(new URL("./measure-one.mjs", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `Node ${process.version}, ${rounds} interleaved rounds, ${cpuMs} ms of CPU time per measurement (mitata, CPU-time clock).`,
);
for (const name of names) {
  const suite = suites[name]();
  const ids = Object.keys(suite.candidates);
  const times = Object.fromEntries(ids.map((id) => [id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const id of ids) {
      const out = execFileSync(process.execPath, [measureOne, name, id, String(cpuMs)], { env: process.env });
      times[id].push(JSON.parse(out.toString()).avg);
    }
  }
  const ref = ids[0];
  const { units, unitName, bytes } = suite.work;
  console.log(`\n#### ${suite.title}\n`);
  console.log(`| implementation | time / call | ${unitName}/s | MB/s | ${suite.candidates[ref].name} is faster by |`);
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const id of ids) {
    const ns = median(times[id]);
    const ratio = median(times[id].map((t, i) => t / times[ref][i]));
    const perSec = units / (ns / 1e9);
    const time = ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(0)} µs`;
    const rate = perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M` : `${(perSec / 1e3).toFixed(0)} k`;
    console.log(
      `| ${suite.candidates[id].name} | ${time} | ${rate} | ${(bytes / (ns / 1e9) / 1e6).toFixed(0)} | ${id === ref ? "—" : `${ratio.toFixed(2)}×`} |`,
    );
  }
}
