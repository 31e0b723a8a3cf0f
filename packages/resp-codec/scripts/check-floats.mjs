#!/usr/bin/env node
// Differential check of formatDouble (%.17g) and incrByFloat (80-bit long double) against
// Redis's own C code compiled with the system's gcc/glibc (check-floats.c).
// Usage: pnpm --filter @nedis/resp-codec build && node scripts/check-floats.mjs [cases=200000]
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatDouble, incrByFloat } from "../dist/index.js";

const cases = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), "resp-codec-floats-"));
const exe = join(dir, "check-floats");
execFileSync("cc", ["-O2", "-o", exe, new URL("./check-floats.c", import.meta.url).pathname, "-lm"]);

let seed = 12345;
const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
const pick = (a) => a[Math.floor(rnd() * a.length)];
const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join("");
const view = new DataView(new ArrayBuffer(8));

function randomDouble() {
  switch (Math.floor(rnd() * 5)) {
    case 0:
      view.setUint32(0, (rnd() * 2 ** 32) >>> 0);
      view.setUint32(4, (rnd() * 2 ** 32) >>> 0);
      return view.getFloat64(0);
    case 1:
      return Number(`${digits(1 + Math.floor(rnd() * 6))}.${digits(Math.floor(rnd() * 6))}`);
    case 2:
      return (Math.floor(rnd() * 2 ** 20) + 0.5) * 2 ** -Math.floor(rnd() * 80);
    case 3:
      return Math.round(rnd() * 2 ** 62) * (rnd() < 0.5 ? 1 : -1);
    default:
      return rnd() * 10 ** (Math.floor(rnd() * 40) - 20);
  }
}

function randomFloatText() {
  const sign = pick(["", "", "-", "+"]);
  switch (Math.floor(rnd() * 8)) {
    case 0:
      return sign + digits(1 + Math.floor(rnd() * 4));
    case 1:
      return `${sign}${digits(1 + Math.floor(rnd() * 5))}.${digits(1 + Math.floor(rnd() * 5))}`;
    case 2:
      return `${sign}${digits(1 + Math.floor(rnd() * 3))}.${digits(Math.floor(rnd() * 25))}e${pick(["", "-", "+"])}${Math.floor(rnd() * 400)}`;
    case 3:
      return `${sign}0x${Math.floor(rnd() * 65536).toString(16)}.${Math.floor(rnd() * 4096).toString(16)}p${pick(["", "-"])}${Math.floor(rnd() * 200)}`;
    case 4:
      return `${sign}${pick(["inf", "infinity", "nan", ".", "1e", "0x", " 1", "1 ", "1e4933", "1e-4960", "1e-4940", "1.19e4932", "1.2e4932", "INF", "e5", ".5", "5."])}`;
    case 5:
      return `${sign}${digits(1 + Math.floor(rnd() * 40))}.${digits(Math.floor(rnd() * 40))}`;
    case 6:
      return `${sign}1e${pick(["", "-"])}${4900 + Math.floor(rnd() * 60)}`;
    default:
      return `${sign}0.${digits(Math.floor(rnd() * 20))}`;
  }
}

const doubles = Array.from({ length: cases }, randomDouble).filter(Number.isFinite);
const pairs = Array.from({ length: cases }, () => [rnd() < 0.2 ? null : randomFloatText(), randomFloatText()]);
const input =
  doubles.map((d) => (view.setFloat64(0, d), `d ${view.getBigUint64(0).toString(16)}`)).join("\n") +
  "\n" +
  pairs.map(([a, b]) => `i ${a ?? "-"}\t${b}`).join("\n") +
  "\n";
const expected = execFileSync(exe, { input, maxBuffer: 1 << 30 })
  .toString()
  .split("\n");

let mismatches = 0;
doubles.forEach((d, i) => {
  const ours = formatDouble(d);
  if (ours !== expected[i] && mismatches++ < 10) console.log(`formatDouble(${d}): ours ${ours}, C ${expected[i]}`);
});
pairs.forEach(([a, b], i) => {
  const r = incrByFloat(a, b);
  const ours = r.ok ? r.text : r.error;
  const theirs = expected[doubles.length + i];
  if (ours !== theirs && mismatches++ < 20)
    console.log(`incrByFloat(${a}, ${b}): ours ${ours.slice(0, 80)}, C ${theirs?.slice(0, 80)}`);
});
console.log(`${doubles.length} doubles, ${pairs.length} INCRBYFLOAT cases: ${mismatches} mismatches`);
process.exit(mismatches === 0 ? 0 : 1);
