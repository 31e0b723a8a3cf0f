#!/usr/bin/env node
// Captures DUMP payloads from a real redis-server into test/fixtures/redisDumps.ts.
// Usage: node scripts/capture-golden-dumps.mjs [redis-server binary]
// Starts a throwaway server (no persistence) on a free port, runs each case's commands on a raw
// socket (so the payload bytes are exact), DUMPs key `k`, and rewrites the fixture file.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { describe, materialize } from "../test/fixtures/goldenRecipes.mjs";

const bin = process.argv[2] ?? "/usr/bin/redis-server";

const ints = [
  "0",
  "1",
  "-1",
  "127",
  "128",
  "-128",
  "-129",
  "255",
  "256",
  "32767",
  "32768",
  "-32768",
  "-32769",
  "2147483647",
  "2147483648",
  "-2147483648",
  "-2147483649",
  "-1234567890",
  "12345678901",
  "-12345678901",
  "9223372036854775807",
  "-9223372036854775808",
  "9223372036854775808",
];
const nonCanonical = ["01", "+1", "-0", "1.5", " 1", "1 ", "0x10", "-", "00", "1e3"];

/** @type {{name: string, setup: (string|object)[][]}[]} */
const cases = [
  { name: "empty string", setup: [["SET", "k", ""]] },
  { name: "one byte", setup: [["SET", "k", "a"]] },
  { name: "short text", setup: [["SET", "k", "hello world"]] },
  ...ints.map((v) => ({ name: `integer ${v}`, setup: [["SET", "k", v]] })),
  ...nonCanonical.map((v) => ({ name: `non-canonical integer ${JSON.stringify(v)}`, setup: [["SET", "k", v]] })),
  {
    name: "integer from INCR",
    setup: [
      ["SET", "k", "99"],
      ["INCRBY", "k", "2147483549"],
    ],
  },
  { name: "binary bytes", setup: [["SET", "k", { hex: "00ff0d0a80c0e1fe7f" }]] },
  { name: "20 repeated bytes (not compressed)", setup: [["SET", "k", { repeat: "a", times: 20 }]] },
  { name: "21 repeated bytes (compressed)", setup: [["SET", "k", { repeat: "a", times: 21 }]] },
  { name: "24 repeated bytes", setup: [["SET", "k", { repeat: "a", times: 24 }]] },
  { name: "alphabet (incompressible)", setup: [["SET", "k", "abcdefghijklmnopqrstuvwxyz"]] },
  { name: "barely compressible", setup: [["SET", "k", "abcdefghijabcdefghij0123456789"]] },
  { name: "63 random bytes", setup: [["SET", "k", { random: 1, length: 63 }]] },
  { name: "64 random bytes", setup: [["SET", "k", { random: 2, length: 64 }]] },
  { name: "16384 random bytes", setup: [["SET", "k", { random: 4, length: 16384 }]] },
  { name: "repeated phrase x1000", setup: [["SET", "k", { repeat: "the quick brown fox ", times: 1000 }]] },
  { name: "long run of one byte", setup: [["SET", "k", { repeat: "z", times: 70000 }]] },
  { name: "text-like words", setup: [["SET", "k", { words: 7, count: 5000 }]] },
  { name: "4-letter alphabet noise", setup: [["SET", "k", { random: 9, length: 8000, alphabet: 4, base: 65 }]] },
  { name: "16-letter alphabet noise", setup: [["SET", "k", { random: 10, length: 3000, alphabet: 16, base: 97 }]] },
  { name: "binary noise, 2-byte alphabet, 20 KB", setup: [["SET", "k", { random: 11, length: 20000, alphabet: 2 }]] },
  {
    name: "rdbcompression no",
    setup: [
      ["CONFIG", "SET", "rdbcompression", "no"],
      ["SET", "k", { repeat: "a", times: 24 }],
    ],
  },
  // Collections: the type byte and the listpack / intset blobs Redis 7.0 writes.
  { name: "hash listpack", setup: [["HSET", "k", "f", "v", "n", "12", "neg", "-5000"]] },
  { name: "zset listpack", setup: [["ZADD", "k", "1", "a", "2.5", "b", "-3", "c", "1e20", "d"]] },
  {
    name: "list quicklist of integers",
    setup: [
      [
        "RPUSH",
        "k",
        ...ints,
        ...nonCanonical,
        "",
        "-4096",
        "4095",
        "-4097",
        "4096",
        "8388607",
        "8388608",
        "-8388608",
        "-8388609",
      ],
    ],
  },
  {
    name: "list quicklist with 12-bit and 32-bit strings",
    setup: [
      [
        "RPUSH",
        "k",
        { repeat: "x", times: 63 },
        { repeat: "y", times: 64 },
        { repeat: "w", times: 126 },
        { repeat: "v", times: 4095 },
        { random: 12, length: 5000, alphabet: 26, base: 97 },
      ],
    ],
  },
  {
    name: "list quicklist, several nodes",
    setup: [["RPUSH", "k", ...Array.from({ length: 300 }, (_, i) => `element-${i}-${"p".repeat(i % 50)}`)]],
  },
  {
    name: "list quicklist, compress depth 1",
    setup: [
      ["CONFIG", "SET", "list-compress-depth", "1"],
      ["RPUSH", "k", ...Array.from({ length: 600 }, (_, i) => `element-${i % 17}-padding-padding`)],
    ],
  },
  { name: "set intset int16", setup: [["SADD", "k", "3", "1", "2", "-7"]] },
  { name: "set intset int32", setup: [["SADD", "k", "1", "100000", "-100000"]] },
  { name: "set intset int64", setup: [["SADD", "k", "1", "5000000000", "-9223372036854775808"]] },
  { name: "set hashtable", setup: [["SADD", "k", "a"]] },
  { name: "hash hashtable", setup: [["HSET", "k", "f", { repeat: "v", times: 65 }]] },
  { name: "zset skiplist", setup: [["ZADD", "k", "1.5", { repeat: "m", times: 65 }]] },
  { name: "stream", setup: [["XADD", "k", "1-1", "f", "v"]] },
];

function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(materialize(a));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Reads one RESP2 reply from `buf` at `pos`; returns [value, nextPos] or null if incomplete. */
function parseReply(buf, pos) {
  const eol = buf.indexOf("\r\n", pos);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("latin1", pos + 1, eol);
  if (type === "+" || type === "-") return [type === "-" ? new Error(line) : line, eol + 2];
  if (type === ":") return [Number(line), eol + 2];
  if (type === "$") {
    const n = Number(line);
    if (n < 0) return [null, eol + 2];
    if (buf.length < eol + 2 + n + 2) return null;
    return [buf.subarray(eol + 2, eol + 2 + n), eol + 4 + n];
  }
  if (type === "*") {
    const n = Number(line);
    const items = [];
    let p = eol + 2;
    for (let i = 0; i < n; i++) {
      const r = parseReply(buf, p);
      if (r === null) return null;
      items.push(r[0]);
      p = r[1];
    }
    return [items, p];
  }
  throw new Error(`bad reply type ${type}`);
}

function connect(port) {
  const socket = net.connect(port, "127.0.0.1");
  let buffered = Buffer.alloc(0);
  const waiting = [];
  socket.on("data", (d) => {
    buffered = Buffer.concat([buffered, d]);
    for (;;) {
      const r = waiting.length > 0 ? parseReply(buffered, 0) : null;
      if (r === null) break;
      buffered = buffered.subarray(r[1]);
      waiting.shift()(r[0]);
    }
  });
  return {
    ready: new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    }),
    call: (args) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(encodeCommand(args));
      }),
    close: () => socket.destroy(),
  };
}

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const server = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
  stdio: "ignore",
});
let client;
for (let i = 0; i < 100; i++) {
  try {
    client = connect(port);
    await client.ready;
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 50));
  }
}
const version = (await client.call(["INFO", "server"])).toString().match(/redis_version:(\S+)/)[1];
const lines = [];
for (const c of cases) {
  await client.call(["FLUSHALL"]);
  await client.call(["CONFIG", "SET", "rdbcompression", "yes"]);
  await client.call(["CONFIG", "SET", "list-compress-depth", "0"]);
  for (const cmd of c.setup) {
    const reply = await client.call(cmd);
    if (reply instanceof Error) throw new Error(`${c.name}: ${reply.message}`);
  }
  const encoding = (await client.call(["OBJECT", "ENCODING", "k"])).toString();
  const dump = await client.call(["DUMP", "k"]);
  const cli = c.setup.map((cmd) => `redis-cli ${cmd.map(describe).join(" ")}`).join(" && ");
  lines.push(
    `  // ${cli} && redis-cli --no-raw DUMP k`,
    `  { name: ${JSON.stringify(c.name)}, encoding: ${JSON.stringify(encoding)}, setup: ${JSON.stringify(c.setup)}, hex: ${JSON.stringify(dump.toString("hex"))} },`,
  );
}
client.close();
server.kill("SIGTERM");

const out = `// Generated by scripts/capture-golden-dumps.mjs from redis-server ${version}: do not edit by hand.
// Each case ran FLUSHALL, CONFIG SET rdbcompression yes, CONFIG SET list-compress-depth 0, then its
// setup commands (arguments are latin1 text or goldenRecipes.mjs recipes), then DUMP k.
import type { Recipe } from "./goldenRecipes.mjs";

export interface GoldenDump {
  name: string;
  /** OBJECT ENCODING k in the server that produced the dump. */
  encoding: string;
  setup: Recipe[][];
  /** The DUMP payload, hex. */
  hex: string;
}

export const REDIS_VERSION = ${JSON.stringify(version)};

export const goldenDumps: readonly GoldenDump[] = [
${lines.join("\n")}
];
`;
writeFileSync(new URL("../test/fixtures/redisDumps.ts", import.meta.url), out);
console.log(`captured ${cases.length} dumps from redis ${version}`);
