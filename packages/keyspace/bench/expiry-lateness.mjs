#!/usr/bin/env node
// How late do keys expire? Sets N keys with random deadlines (PXAT), subscribes to
// `__keyevent@0__:expired`, and measures (time the event arrives − deadline) for every key on
// nedis and on redis-server, one server at a time. Optional background load keeps each server
// busy with SET/GET pipelines meanwhile.
//
//   node packages/keyspace/bench/expiry-lateness.mjs [--keys 100000] [--min-ttl 1000] [--max-ttl 10000]
//        [--servers nedis,redis] [--load 1] [--json]
import { Redis } from "ioredis";
import { parseFlags, percentile, startServer } from "./serverProcess.mjs";

const flags = parseFlags(process.argv.slice(2), {
  keys: "100000",
  "min-ttl": "1000",
  "max-ttl": "10000",
  servers: "nedis,redis",
  load: "1",
  json: "",
});
if (flags.help) {
  console.log(
    "usage: expiry-lateness.mjs [--keys n] [--min-ttl ms] [--max-ttl ms] [--servers nedis,redis] [--load 0|1] [--json]",
  );
  process.exit(0);
}
const KEYS = Number(flags.keys);
const MIN_TTL = Number(flags["min-ttl"]);
const MAX_TTL = Number(flags["max-ttl"]);
const LOAD = flags.load !== "0";

async function measure(kind) {
  const server = await startServer(kind, ["--notify-keyspace-events", "Ex", "--hz", "10"]);
  const writer = new Redis({ port: server.port, lazyConnect: false });
  const sub = new Redis({ port: server.port });
  const deadlines = new Float64Array(KEYS);
  const lateness = new Float64Array(KEYS).fill(NaN);
  let received = 0;
  await sub.subscribe("__keyevent@0__:expired");
  sub.on("message", (_channel, key) => {
    const now = Date.now();
    const i = Number(key.slice(4));
    if (Number.isNaN(lateness[i])) {
      lateness[i] = now - deadlines[i];
      received++;
    }
  });
  const start = Date.now() + 500;
  for (let i = 0; i < KEYS; i += 1000) {
    const p = writer.pipeline();
    for (let j = i; j < Math.min(KEYS, i + 1000); j++) {
      deadlines[j] = start + MIN_TTL + Math.floor(Math.random() * (MAX_TTL - MIN_TTL));
      p.set(`key:${j}`, "v", "PXAT", deadlines[j]);
    }
    await p.exec();
  }
  const loadStart = Date.now();
  let loadOps = 0;
  let loading = LOAD;
  const loader = (async () => {
    const c = new Redis({ port: server.port });
    while (loading) {
      const p = c.pipeline();
      for (let j = 0; j < 100; j++) {
        const k = `load:${Math.floor(Math.random() * 100000)}`;
        if (j % 2 === 0) p.set(k, "xxxxxxxxxxxxxxxx");
        else p.get(k);
      }
      await p.exec();
      loadOps += 100;
    }
    c.disconnect();
  })();
  const giveUp = start + MAX_TTL + 5000;
  while (received < KEYS && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 100));
  loading = false;
  await loader;
  const loadSeconds = (Date.now() - loadStart) / 1000;
  writer.disconnect();
  sub.disconnect();
  await server.stop();
  const got = Array.from(lateness)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  return {
    server: kind,
    keys: KEYS,
    received: got.length,
    p50: percentile(got, 50),
    p90: percentile(got, 90),
    p99: percentile(got, 99),
    max: got.at(-1),
    loadOpsPerSec: LOAD ? Math.round(loadOps / loadSeconds) : 0,
  };
}

const results = [];
for (const kind of flags.servers.split(",")) results.push(await measure(kind));
if (flags.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  console.log(
    `## Expiry lateness: ${KEYS} keys, deadlines uniform in [${MIN_TTL}, ${MAX_TTL}) ms, background load ${LOAD ? "on" : "off"}\n`,
  );
  console.log("| server | expired events | p50 ms | p90 ms | p99 ms | max ms | load ops/s |");
  console.log("|--------|---------------:|-------:|-------:|-------:|-------:|-----------:|");
  for (const r of results) {
    console.log(
      `| ${r.server} | ${r.received} / ${r.keys} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.loadOpsPerSec} |`,
    );
  }
  console.log(
    "\nLateness = arrival of the `expired` event at a subscriber − the key's PXAT deadline (same host clock).",
  );
}
process.exit(0);
