#!/usr/bin/env node
// node bench/stream.mjs (after `pnpm --filter nedis-server... build`) — streams, nedis against
// redis-server in one run: XADD (P=16) and XREAD COUNT 100 in ops per server-CPU-second (the
// server process's utime+stime from /proc around a redis-benchmark run), then used_memory after
// a 1M-entry stream. Options: --requests N (XADD, default 500000), --entries N (default 1000000).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolveServerSpecs, startServer } from './lib/servers.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const requests = arg('--requests', 500_000);
const entries = arg('--entries', 1_000_000);
const HZ = 100; // USER_HZ on Linux

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / HZ;
}

/** Runs redis-benchmark against `server` and returns ops per server CPU second. */
function opsPerCpuSecond(server, n, pipeline, command) {
  const before = cpuSeconds(server.pid);
  const run = spawnSync('redis-benchmark', [
    '-p',
    String(server.port),
    '-n',
    String(n),
    '-P',
    String(pipeline),
    '-c',
    '50',
    '-q',
    ...command,
  ]);
  if (run.status !== 0) throw new Error(`redis-benchmark failed: ${run.stderr}`);
  const cpu = cpuSeconds(server.pid) - before;
  return cpu > 0 ? n / cpu : Number.NaN;
}

function usedMemory(info) {
  return Number(/used_memory:(\d+)/.exec(String(info))?.[1]);
}

async function main() {
  const specs = resolveServerSpecs({});
  const rows = [];
  for (const name of ['nedis', 'redis']) {
    const server = await startServer(specs[name], { cpu: null });
    log(`started ${name}: pid ${server.pid}, port ${server.port}`);
    try {
      await callOnce(server.port, 'FLUSHALL');
      const xadd = opsPerCpuSecond(server, requests, 16, ['xadd', 'bench:s', '*', 'field', 'value']);
      const xread = opsPerCpuSecond(server, Math.max(1000, requests / 20), 16, [
        'xread',
        'count',
        '100',
        'streams',
        'bench:s',
        '0',
      ]);
      await callOnce(server.port, 'FLUSHALL');
      const base = usedMemory(await callOnce(server.port, 'INFO', 'memory'));
      spawnSync('redis-benchmark', [
        '-p',
        String(server.port),
        '-n',
        String(entries),
        '-P',
        '64',
        '-c',
        '4',
        '-q',
        'xadd',
        'bench:big',
        '*',
        'field',
        'value',
      ]);
      const length = Number(await callOnce(server.port, 'XLEN', 'bench:big'));
      const memory = usedMemory(await callOnce(server.port, 'INFO', 'memory')) - base;
      rows.push({ name, xadd, xread, length, memory });
    } finally {
      await server.stop();
    }
  }
  const [n, r] = rows;
  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  console.log('| measure | nedis | redis | nedis / redis |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| XADD P=16, ops per server CPU s | ${fmt(n.xadd)} | ${fmt(r.xadd)} | ${(n.xadd / r.xadd).toFixed(2)}× |`,
  );
  console.log(
    `| XREAD COUNT 100 P=16, ops per server CPU s | ${fmt(n.xread)} | ${fmt(r.xread)} | ${(n.xread / r.xread).toFixed(2)}× |`,
  );
  console.log(
    `| used_memory of a ${fmt(n.length)}-entry stream, bytes | ${fmt(n.memory)} | ${fmt(r.memory)} | ${(n.memory / r.memory).toFixed(2)}× |`,
  );
  return 0;
}

runMain('stream', main);
