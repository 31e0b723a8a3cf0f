#!/usr/bin/env node
// Captures Redis's own command metadata (COMMAND INFO + COMMAND DOCS, RESP3, with types) from a
// running redis-server, so nedis's COMMAND replies can be proven equal to Redis 7.0's.
// Usage: node scripts/capture-redis-commands.mjs <port> > src/commands/metadata/redis-commands.json
import { connect } from "node:net";

const port = Number(process.argv[2] ?? 6379);

/** Parses one RESP3 value into a typed tree: [type, value]. */
function parse(buf, pos) {
  const type = String.fromCharCode(buf[pos]);
  const eol = buf.indexOf("\r\n", pos, "latin1");
  const line = buf.toString("latin1", pos + 1, eol);
  let next = eol + 2;
  switch (type) {
    case "+":
      return [["simple", line], next];
    case "-":
      return [["error", line], next];
    case ":":
      return [["int", Number(line)], next];
    case "_":
      return [["null", null], next];
    case "#":
      return [["bool", line === "t"], next];
    case ",":
      return [["double", line], next];
    case "$":
    case "=": {
      const len = Number(line);
      if (len < 0) return [["null", null], next];
      return [[type === "$" ? "bulk" : "verbatim", buf.toString("latin1", next, next + len)], next + len + 2];
    }
    case "*":
    case "~":
    case "%":
    case ">": {
      const n = Number(line) * (type === "%" ? 2 : 1);
      const items = [];
      for (let i = 0; i < n; i++) {
        const [v, p] = parse(buf, next);
        items.push(v);
        next = p;
      }
      return [[{ "*": "array", "~": "set", "%": "map", ">": "push" }[type], items], next];
    }
    default:
      throw new Error(`unexpected type ${type}`);
  }
}

function request(socket, args) {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const onData = (chunk) => {
      data = Buffer.concat([data, chunk]);
      try {
        const [value, end] = parse(data, 0);
        if (end <= data.length) {
          socket.off("data", onData);
          resolve(value);
        }
      } catch {
        /* incomplete */
      }
    };
    socket.on("data", onData);
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
  });
}

const socket = connect(port, "127.0.0.1");
await new Promise((r) => socket.once("connect", r));
await request(socket, ["HELLO", "3"]);
const info = await request(socket, ["COMMAND", "INFO"]);
const docs = await request(socket, ["COMMAND", "DOCS"]);
socket.end();

const out = { info: {}, docs: {} };
const strip = (tree) => tree; // kept verbatim
for (const entry of info[1]) {
  if (entry[0] === "null") continue;
  const fields = entry[1];
  const name = fields[0][1];
  const subs = fields[9][1];
  for (const s of subs) out.info[s[1][0][1]] = strip(s);
  out.info[name] = ["array", [...fields.slice(0, 9), [fields[9][0], []]]];
}
for (let i = 0; i < docs[1].length; i += 2) {
  const name = docs[1][i][1];
  const body = docs[1][i + 1][1];
  const subIndex = body.findIndex((v, j) => j % 2 === 0 && v[1] === "subcommands");
  if (subIndex >= 0) {
    const subs = body[subIndex + 1][1];
    for (let k = 0; k < subs.length; k += 2) out.docs[subs[k][1]] = subs[k + 1];
    body.splice(subIndex, 2);
  }
  out.docs[name] = ["map", body];
}
process.stdout.write(JSON.stringify(out) + "\n");
