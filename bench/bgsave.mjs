#!/usr/bin/env node
// node bench/bgsave.mjs [--keys 1000000] [--value 32] [--clients 20]
// BGSAVE of N keys on nedis (forkless snapshot) and on redis-server (fork), one server at a
// time, while redis-benchmark keeps writing: extra RSS during the save (nedis: its own RSS
// peak over the pre-save RSS; Redis: rdb_last_cow_size, the memory its fork duplicated),
// the p99 of a probe client's SET round trips during the save vs before it, and save time.
// Also SAVE time and the load time of the file at the next start. Needs apps/server/dist
// (pnpm --filter @nedis/server build) and redis-server / redis-benchmark 7 on PATH.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const KEYS = opt('keys', 1_000_000);
const VALUE = opt('value', 32);
const CLIENTS = opt('clients', 20);
const mainJs = fileURLToPath(new URL('../apps/server/dist/main.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A tiny RESP client: one command at a time, replies as text. */
async function connect(port) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((res, rej) => socket.once('connect', res).once('error', rej));
  let buf = '';
  let waiting = null;
  socket.on('data', (d) => {
    buf += d.toString('latin1');
    if (waiting) waiting();
  });
  const complete = () => {
    if (buf.length < 3 || !buf.includes('\r\n')) return -1;
    const eol = buf.indexOf('\r\n');
    if (buf[0] !== '$') return eol + 2;
    const n = Number(buf.slice(1, eol));
    if (n < 0) return eol + 2;
    return buf.length >= eol + 2 + n + 2 ? eol + 2 + n + 2 : -1;
  };
  return {
    async call(...parts) {
      socket.write(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(String(p))}\r\n${p}\r\n`).join('')}`);
      for (;;) {
        const end = complete();
        if (end >= 0) {
          const reply = buf.slice(0, end);
          buf = buf.slice(end);
          return reply;
        }
        await new Promise((r) => (waiting = r));
        waiting = null;
      }
    },
    close: () => socket.destroy(),
  };
}

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const field = (info, name) => new RegExp(`${name}:(\\S+)`).exec(info)?.[1];
const p99 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN;
};

async function start(kind, dir) {
  const port = await freePort();
  const common = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--enable-debug-command',
    'yes',
  ];
  const proc =
    kind === 'nedis'
      ? spawn(process.execPath, [mainJs, ...common], { stdio: 'ignore' })
      : spawn('redis-server', common, { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      const c = await connect(port);
      if ((await c.call('PING')).startsWith('+PONG')) return { proc, port, client: c };
    } catch {}
    await sleep(50);
  }
  throw new Error(`${kind} did not start`);
}

async function stop(server) {
  server.client.close();
  await new Promise((r) => {
    server.proc.once('exit', r);
    server.proc.kill('SIGKILL');
  });
}

/** Probe: sequential SETs on one connection, round trips in ms, until `until()` is false. */
async function probe(port, until) {
  const c = await connect(port);
  const rtts = [];
  let i = 0;
  while (until()) {
    const t = performance.now();
    await c.call('SET', `probe:${i++ % 1000}`, 'x');
    rtts.push(performance.now() - t);
  }
  c.close();
  return rtts;
}

async function measure(kind) {
  const dir = mkdtempSync(join(tmpdir(), `bgsave-${kind}-`));
  let server = await start(kind, dir);
  const c = server.client;
  try {
    await c.call('DEBUG', 'POPULATE', String(KEYS), 'key', String(VALUE));
    await sleep(500);
    const load = spawn(
      'redis-benchmark',
      [
        '-p',
        String(server.port),
        '-t',
        'set',
        '-n',
        '100000000',
        '-c',
        String(CLIENTS),
        '-r',
        String(KEYS),
        '-d',
        String(VALUE),
        '-q',
      ],
      { stdio: 'ignore' },
    );
    await sleep(1000);
    const before = rssKb(server.proc.pid);
    let t0 = performance.now();
    const idle = await probe(server.port, () => performance.now() - t0 < 3000);
    let peak = before;
    let saving = true;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKb(server.proc.pid));
    }, 20);
    t0 = performance.now();
    await c.call('BGSAVE');
    const during = probe(server.port, () => saving);
    for (;;) {
      const info = await c.call('INFO', 'persistence');
      if (field(info, 'rdb_bgsave_in_progress') === '0') {
        saving = false;
        break;
      }
      await sleep(20);
    }
    const bgsaveSeconds = (performance.now() - t0) / 1000;
    const duringRtts = await during;
    clearInterval(sampler);
    load.kill('SIGKILL');
    const info = await c.call('INFO', 'persistence');
    const cow = Number(field(info, 'rdb_last_cow_size'));
    t0 = performance.now();
    await c.call('SAVE');
    const saveSeconds = (performance.now() - t0) / 1000;
    const fileMb = statSync(join(dir, 'dump.rdb')).size / 1e6;
    const keysInFile = Number(/keys=(\d+)/.exec(await c.call('INFO', 'keyspace'))[1]);
    await stop(server);
    t0 = performance.now();
    server = await start(kind, dir);
    const loadSeconds = (performance.now() - t0) / 1000;
    return {
      kind,
      keys: keysInFile,
      rssBeforeMb: before / 1024,
      extraMb: kind === 'nedis' ? (peak - before) / 1024 : cow / 1e6,
      idleP99: p99(idle),
      saveP99: p99(duringRtts),
      bgsaveSeconds,
      saveSeconds,
      loadSeconds,
      fileMb,
    };
  } finally {
    await stop(server).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const kind of ['nedis', 'redis']) {
  console.error(`measuring ${kind} with ${KEYS} keys…`);
  rows.push(await measure(kind));
}
const f = (x, d = 2) => x.toFixed(d);
console.log(`BGSAVE of ${KEYS} keys (${VALUE}-byte values) under redis-benchmark -t set -c ${CLIENTS}`);
console.log(
  '| server | RSS before (MB) | extra during save (MB) | extra % | p99 idle (ms) | p99 during save (ms) | ×idle | BGSAVE (s) | SAVE (s) | load at start (s) | file (MB) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(
    `| ${r.kind} | ${f(r.rssBeforeMb, 0)} | ${f(r.extraMb, 1)} | ${f((100 * r.extraMb) / r.rssBeforeMb, 1)} | ${f(r.idleP99)} | ${f(r.saveP99)} | ${f(r.saveP99 / r.idleP99, 1)} | ${f(r.bgsaveSeconds)} | ${f(r.saveSeconds)} | ${f(r.loadSeconds)} | ${f(r.fileMb, 1)} |`,
  );
