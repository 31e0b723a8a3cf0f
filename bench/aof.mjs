#!/usr/bin/env node
// node bench/aof.mjs [requests] (after building apps/server) — `redis-benchmark -t set,incr,lpush -P 16` with `appendonly yes`
// under each `appendfsync` policy, nedis (apps/server/dist/main.js) against redis-server, each in
// a fresh temp directory. Reports ops per server-CPU-second (user+sys of the server process, from
// /proc/<pid>/stat) and the ratio nedis/redis. Loopback only; every server started is stopped.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUESTS = Number(process.argv[2] ?? 200_000);
const TESTS = ['set', 'incr', 'lpush'];
const POLICIES = ['always', 'everysec', 'no'];
const mainJs = fileURLToPath(new URL('../apps/server/dist/main.js', import.meta.url));
const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** user+sys CPU seconds of `pid` so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function start(kind, policy) {
  const dir = mkdtempSync(join(tmpdir(), `nedis-bench-aof-${kind}-`));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    policy,
  ];
  const proc =
    kind === 'nedis'
      ? spawn(process.execPath, [mainJs, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${kind} did not start`)), 10_000);
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', () => reject(new Error(`${kind} exited: ${out}`)));
  });
  return {
    port,
    pid: proc.pid,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function benchmark(port, test) {
  const r = spawnSync(
    'redis-benchmark',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-t',
      test,
      '-P',
      '16',
      '-n',
      String(REQUESTS),
      '-c',
      '50',
      '-r',
      '100000',
      '-q',
    ],
    { encoding: 'latin1' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}

const rows = [];
for (const policy of POLICIES) {
  for (const test of TESTS) {
    const result = {};
    for (const kind of ['nedis', 'redis']) {
      const server = await start(kind, policy);
      try {
        // A warm-up pass first: V8's compilation is not what the comparison is about.
        benchmark(server.port, test, Math.ceil(REQUESTS / 4));
        const before = cpuSeconds(server.pid);
        benchmark(server.port, test, REQUESTS);
        const cpu = cpuSeconds(server.pid) - before;
        result[kind] = REQUESTS / Math.max(cpu, 1 / TICKS);
      } finally {
        await server.stop();
      }
    }
    rows.push({ policy, test, nedis: result.nedis, redis: result.redis, ratio: result.nedis / result.redis });
    process.stderr.write(
      `${policy} ${test}: nedis ${Math.round(result.nedis)} redis ${Math.round(result.redis)} ops/cpu-s\n`,
    );
  }
}
console.log(`| appendfsync | test | nedis ops/CPU-s | redis ops/CPU-s | nedis/redis |`);
console.log(`|---|---|---:|---:|---:|`);
for (const r of rows)
  console.log(`| ${r.policy} | ${r.test} | ${Math.round(r.nedis)} | ${Math.round(r.redis)} | ${r.ratio.toFixed(2)}× |`);
