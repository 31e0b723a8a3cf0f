#!/usr/bin/env node
// node bench/stream.mjs (after building apps/server) — streams, nedis against redis-server side by
// side: XADD (P=16) and XREAD COUNT 100 (P=16) in ops per server-CPU-second (the server's
// utime+stime from /proc around a redis-benchmark run; server pinned to --server-cpu, the load to
// --client-cpu) after a warm-up pass, then used_memory and RSS growth of a 1M-entry stream (in a fresh server). Rounds alternate which
// server goes first; compare the ratios, not the absolute figures. --help lists the options.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { readCpuMicros, readMemory } from './lib/procstat.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { SERVER_OPTIONS, serverFlagsOf } from './lib/serverOptions.mjs';
import { callOnce, pinned, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';

const HELP = `node bench/stream.mjs [options]
  --requests N       XADD requests per measure (default 500000)
  --xread-requests N XREAD COUNT 100 requests per measure (default requests / 10)
  --entries N        entries of the memory stream (default 1000000)
  --rounds N         rounds, alternating which server goes first (default 2)
  --server-cpu N     CPU the server is pinned to (default 1)
  --client-cpu N     CPU redis-benchmark is pinned to (default 0)
  --no-pin           no CPU pinning
  --nedis-cmd/--nedis-node/--nedis-args/--redis-cmd/--redis-args  how the servers start
                     (--redis-cmd "node /old/apps/server/dist/main.js" compares two nedis builds)`;

function options() {
  const { values } = parseArgs({
    options: {
      ...SERVER_OPTIONS,
      requests: { type: 'string', default: '500000' },
      'xread-requests': { type: 'string' },
      entries: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '2' },
      'server-cpu': { type: 'string', default: '1' },
      'client-cpu': { type: 'string', default: '0' },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  return {
    help: values.help,
    requests,
    xreadRequests: Number(values['xread-requests'] ?? Math.max(1000, Math.round(requests / 10))),
    entries: Number(values.entries),
    rounds: Number(values.rounds),
    pinning: resolvePinning({
      pin: !values['no-pin'],
      serverCpu: Number(values['server-cpu']),
      clientCpu: Number(values['client-cpu']),
    }),
    flags: serverFlagsOf(values),
  };
}

/**
 * Runs redis-benchmark against the server; returns ops per server CPU second.
 * @param {{ pid: number, port: number }} server
 * @param {number | null} clientCpu
 * @param {number} n
 * @param {number} pipeline
 * @param {number} clients
 * @param {string[]} command
 */
function opsPerCpuSecond(server, clientCpu, n, pipeline, clients, command) {
  const before = readCpuMicros(server.pid);
  const argv = pinned(
    [
      'redis-benchmark',
      '-p',
      String(server.port),
      '-n',
      String(n),
      '-P',
      String(pipeline),
      '-c',
      String(clients),
      '-q',
    ],
    clientCpu,
  );
  const run = spawnSync(argv[0], [...argv.slice(1), ...command]);
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const cpu = (readCpuMicros(server.pid) - before) / 1e6;
  return cpu > 0 ? n / cpu : Number.NaN;
}

/** @param {unknown} info */
function usedMemory(info) {
  return Number(/used_memory:(\d+)/.exec(String(info))?.[1]);
}

/**
 * One server's figures.
 * @param {import('./lib/servers.mjs').ServerSpec} spec
 * @param {ReturnType<typeof options>} o
 */
async function measure(spec, o) {
  const server = await startServer(spec, { cpu: o.pinning.serverCpu });
  log(`started ${spec.name}: pid ${server.pid}, port ${server.port}`);
  const clientCpu = o.pinning.clientCpu;
  let cpu = { xadd: Number.NaN, xread: Number.NaN };
  try {
    await callOnce(server.port, 'FLUSHALL');
    // A warm-up pass first (as bench/aof.mjs): V8's compilation is not what the comparison is about.
    opsPerCpuSecond(server, clientCpu, Math.ceil(o.requests / 4), 16, 50, ['xadd', 'bench:w', '*', 'field', 'value']);
    opsPerCpuSecond(server, clientCpu, Math.ceil(o.xreadRequests / 4), 16, 50, [
      'xread',
      'count',
      '100',
      'streams',
      'bench:w',
      '0',
    ]);
    await callOnce(server.port, 'DEL', 'bench:w');
    const xadd = opsPerCpuSecond(server, clientCpu, o.requests, 16, 50, ['xadd', 'bench:s', '*', 'field', 'value']);
    const xread = opsPerCpuSecond(server, clientCpu, o.xreadRequests, 16, 50, [
      'xread',
      'count',
      '100',
      'streams',
      'bench:s',
      '0',
    ]);
    cpu = { xadd, xread };
  } finally {
    await server.stop();
  }
  return { ...cpu, ...(await measureMemory(spec, o)) };
}

/**
 * used_memory and RSS growth of a 1M-entry stream, in a fresh server: memory a previous phase
 * freed (and an allocator kept) would hide part of the growth.
 * @param {import('./lib/servers.mjs').ServerSpec} spec
 * @param {ReturnType<typeof options>} o
 */
async function measureMemory(spec, o) {
  const server = await startServer(spec, { cpu: o.pinning.serverCpu });
  try {
    // Warm up on a capped stream (kept, a few KB): V8's compiled code and heap reaching their
    // working size are the process's, not the stream's.
    opsPerCpuSecond(server, o.pinning.clientCpu, Math.min(200_000, Math.ceil(o.entries / 5)), 16, 50, [
      'xadd',
      'bench:w',
      'MAXLEN',
      '1000',
      '*',
      'field',
      'value',
    ]);
    const base = usedMemory(await callOnce(server.port, 'INFO', 'memory'));
    const rssBase = readMemory(server.pid).rssBytes;
    const fill = pinned(
      ['redis-benchmark', '-p', String(server.port), '-n', String(o.entries), '-P', '64', '-c', '4', '-q'],
      o.pinning.clientCpu,
    );
    spawnSync(fill[0], [...fill.slice(1), 'xadd', 'bench:big', '*', 'field', 'value']);
    const length = Number(await callOnce(server.port, 'XLEN', 'bench:big'));
    const memory = usedMemory(await callOnce(server.port, 'INFO', 'memory')) - base;
    const rss = readMemory(server.pid).rssBytes - rssBase;
    return { length, memory, rss };
  } finally {
    await server.stop();
  }
}

async function main() {
  const o = options();
  if (o.help) {
    console.log(HELP);
    return 0;
  }
  const specs = resolveServerSpecs(o.flags);
  const fmt = (/** @type {number} */ x) => Math.round(x).toLocaleString('en-US');
  const ratio = (/** @type {number} */ a, /** @type {number} */ b) => `${(a / b).toFixed(2)}×`;
  /** @type {Record<string, number[]>} */
  const ratios = { xadd: [], xread: [], memory: [], rss: [] };
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 === 1 ? ['nedis', 'redis'] : ['redis', 'nedis'];
    /** @type {Record<string, Awaited<ReturnType<typeof measure>>>} */
    const rows = {};
    for (const name of order) rows[name] = await measure(specs[/** @type {'nedis' | 'redis'} */ (name)], o);
    const n = rows.nedis;
    const r = rows.redis;
    if (n === undefined || r === undefined) throw new Error('a server gave no figures');
    console.log(`\nround ${round} (${order.join(' then ')})`);
    console.log('| measure | nedis | redis | nedis / redis |');
    console.log('|---|---:|---:|---:|');
    console.log(`| XADD P=16, ops per server CPU s | ${fmt(n.xadd)} | ${fmt(r.xadd)} | ${ratio(n.xadd, r.xadd)} |`);
    console.log(
      `| XREAD COUNT 100 P=16, ops per server CPU s | ${fmt(n.xread)} | ${fmt(r.xread)} | ${ratio(n.xread, r.xread)} |`,
    );
    console.log(
      `| used_memory of a ${fmt(n.length)}-entry stream, bytes | ${fmt(n.memory)} | ${fmt(r.memory)} | ${ratio(n.memory, r.memory)} |`,
    );
    console.log(`| RSS growth of that stream, bytes | ${fmt(n.rss)} | ${fmt(r.rss)} | ${ratio(n.rss, r.rss)} |`);
    for (const key of /** @type {const} */ (['xadd', 'xread', 'memory', 'rss'])) ratios[key]?.push(n[key] / r[key]);
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
  console.log(
    `\nmedian nedis / redis over ${o.rounds} rounds: XADD ${median(ratios.xadd ?? []).toFixed(2)}×, ` +
      `XREAD ${median(ratios.xread ?? []).toFixed(2)}×, used_memory ${median(ratios.memory ?? []).toFixed(2)}×, ` +
      `RSS growth ${median(ratios.rss ?? []).toFixed(2)}×`,
  );
  return 0;
}

runMain('stream', main);
