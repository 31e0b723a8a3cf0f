#!/usr/bin/env node
// Long fuzz: SET random compressible and random values in a real redis-server, DUMP them, and
// compare with dumpString from the built package byte for byte (LZF choices included).
// Usage: pnpm --filter @nedis/rdb build && node scripts/fuzz-dump-against-redis.mjs [runs] [seed]
import { spawn } from "node:child_process";
import net from "node:net";
import fc from "fast-check";
import { dumpString, RdbOutput } from "../dist/index.js";

const runs = Number(process.argv[2] ?? 30000);
const seed = Number(process.argv[3] ?? Date.now() % 1e9);
const bin = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";

const values = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((a) => a.map((x) => x % 3)),
  fc.uint8Array({ maxLength: 200 }),
  fc
    .array(fc.constantFrom("ab", "abc", "xyzzy", "0", "1", "hello ", "-"), { maxLength: 2000 })
    .map((w) => new TextEncoder().encode(w.join(""))),
  fc
    .tuple(
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 300 }),
      fc.uint8Array({ maxLength: 20 }),
    )
    .map(([unit, times, tail]) => {
      const o = new Uint8Array(unit.length * times + tail.length);
      for (let i = 0; i < times; i++) o.set(unit, i * unit.length);
      o.set(tail, unit.length * times);
      return o;
    }),
);

const port = await new Promise((resolve) => {
  const srv = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const server = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
  stdio: "ignore",
});
let socket;
for (let i = 0; i < 100 && !socket; i++) {
  socket = await new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", () => resolve(undefined));
  });
  if (!socket) await new Promise((r) => setTimeout(r, 50));
}

let buffered = Buffer.alloc(0);
const waiting = [];
socket.on("data", (d) => {
  buffered = Buffer.concat([buffered, d]);
  while (waiting.length > 0) {
    const eol = buffered.indexOf("\r\n");
    if (eol < 0) break;
    if (buffered[0] === 0x24) {
      const n = Number(buffered.toString("latin1", 1, eol));
      if (buffered.length < eol + 4 + n) break;
      waiting.shift()(buffered.subarray(eol + 2, eol + 2 + n));
      buffered = buffered.subarray(eol + 4 + n);
    } else {
      waiting.shift()(buffered.subarray(0, eol));
      buffered = buffered.subarray(eol + 2);
    }
  }
});
const call = (...args) => {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  socket.write(Buffer.concat(parts));
  return new Promise((resolve) => waiting.push(resolve));
};

const out = new RdbOutput(1 << 16);
let mismatches = 0;
const started = Date.now();
const samples = fc.sample(values, { numRuns: runs, seed });
for (let i = 0; i < samples.length; i += 200) {
  const batch = samples.slice(i, i + 200);
  const dumps = await Promise.all(batch.map((v, j) => (call("SET", `k${j}`, v), call("DUMP", `k${j}`))));
  batch.forEach((v, j) => {
    out.reset();
    dumpString(out, v, 0, v.length);
    if (Buffer.compare(Buffer.from(out.view()), dumps[j]) !== 0) {
      mismatches++;
      if (mismatches <= 5) console.log(`mismatch: value ${Buffer.from(v).toString("hex").slice(0, 120)}…`);
    }
  });
}
socket.destroy();
server.kill("SIGTERM");
console.log(`${samples.length} values, seed ${seed}: ${mismatches} mismatches (${Date.now() - started} ms)`);
process.exitCode = mismatches === 0 ? 0 : 1;
