#!/usr/bin/env node
// node bench/bitmap.mjs — the bitmap commands under redis-benchmark (SETBIT, GETBIT, BITCOUNT),
// nedis against redis-server, ops per server CPU second and the nedis/Redis ratio per test.
// Takes bench:collections's flags (node bench/bitmap.mjs --help); build nedis first
// (`pnpm build`), as `pnpm bench:collections` does.
import { parseCollectionsOptions } from './lib/collectionsOptions.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells, runCompareRounds } from './lib/compareRounds.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';

/** Bits of the bitmap GETBIT and BITCOUNT read (12,500 bytes). */
const BITMAP_BITS = 100_000;

/**
 * What each test runs. redis-benchmark's `__rand_int__` is zero-padded, which Redis refuses as a
 * bit offset, so SETBIT spreads over `-r` keys (`bits:<n>`, each 126 bytes: created, then grown
 * or flipped in place) at a fixed offset.
 * @type {Record<string, { command: string[], label: string, bitmap: boolean }>}
 */
const BITMAP_TESTS = {
  setbit: { command: ['SETBIT', 'bits:__rand_int__', '1000', '1'], label: 'SETBIT bits:<rand> 1000 1', bitmap: false },
  getbit: { command: ['GETBIT', 'mybitmap', '99999'], label: 'GETBIT mybitmap 99999', bitmap: true },
  bitcount: { command: ['BITCOUNT', 'mybitmap'], label: `BITCOUNT mybitmap (${BITMAP_BITS / 8} bytes)`, bitmap: true },
  bitcount_range: {
    command: ['BITCOUNT', 'mybitmap', '100', '899', 'BIT'],
    label: 'BITCOUNT mybitmap 100 899 BIT',
    bitmap: true,
  },
};

const HELP = `Usage: node bench/bitmap.mjs [bench:collections options]

redis-benchmark custom commands ${Object.keys(BITMAP_TESTS).join(', ')} against nedis and redis-server,
one server at a time, alternating round by round; ops per server CPU second and the nedis/Redis ratio.
Defaults: --tests ${Object.keys(BITMAP_TESTS).join(',')} --pipelines 16,1 --rounds 3 --seconds 2 (see
node bench/collections.mjs --help for every flag; the default-list check is not run).
`;

/** A deterministic 12,500-byte bitmap, about half of its bits set. */
function bitmapBytes() {
  const out = Buffer.alloc(BITMAP_BITS / 8);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = seed >> 16;
  }
  return out;
}

/**
 * Puts `port` in a run's starting state: the SETBIT keys deleted (FLUSHALL), or the bitmap set.
 * @param {number} port
 * @param {string} test
 */
async function prepare(port, test) {
  const client = await RespClient.connect(port, { timeoutMs: 60_000 });
  try {
    await client.call('FLUSHALL');
    if (BITMAP_TESTS[test]?.bitmap) {
      const bytes = bitmapBytes();
      const head = `*3\r\n$3\r\nSET\r\n$8\r\nmybitmap\r\n$${bytes.length}\r\n`;
      const reply = await client.send(Buffer.concat([Buffer.from(head, 'latin1'), bytes, Buffer.from('\r\n')]), 1);
      if (reply.errors > 0) throw new Error(`SET mybitmap: ${reply.firstError}`);
    }
  } finally {
    client.close();
  }
}

async function main() {
  const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  // Later flags win, so the user's --tests replaces this default.
  const options = parseCollectionsOptions(['--tests', Object.keys(BITMAP_TESTS).join(','), '--no-suite', ...argv]);
  for (const test of options.tests) {
    if (!(test in BITMAP_TESTS))
      throw new Error(`--tests: '${test}' is not one of ${Object.keys(BITMAP_TESTS).join(', ')}`);
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });

  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  const cells = emptyCells(options.tests, options.pipelines, options.requests);
  const startedAt = Date.now();
  try {
    for (const name of SERVER_NAMES) {
      const server = await startServer(specs[name], { cpu: serverCpu });
      servers[name] = server;
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
      await callOnce(server.port, 'FLUSHALL').catch(() => undefined);
    }
    const running = /** @type {Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>} */ (servers);
    const shapeOf = (/** @type {(typeof cells)[number]} */ cell) => ({
      test: cell.test,
      command: BITMAP_TESTS[cell.test]?.command,
      label: BITMAP_TESTS[cell.test]?.label,
      pipeline: cell.pipeline,
      clients: options.clients,
      keyspace: options.keyspace,
      dataSize: options.dataSize,
      clientCpu,
    });
    await runCompareRounds(running, cells, shapeOf, options, (server, cell) => prepare(server.port, cell.test));
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }

  const summary = summarize(cells);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, results: summary, cells }, null, 2)}\n`);
    return 0;
  }
  const failures = failureLines(cells);
  const out = [
    `## Bitmaps, nedis vs Redis: redis-benchmark -c ${options.clients} -r ${options.keyspace}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu} (taskset)` : 'none'}; took ${Math.round((Date.now() - startedAt) / 1000)} s`,
    '',
    `### Throughput and server CPU, medians of ${options.rounds} alternating rounds${options.requests === null ? `, -n calibrated for ~${options.seconds} s per run` : `, -n ${options.requests}`}`,
    '',
    renderCompareTable(summary),
    '',
    'Ratios are nedis/Redis (> 1× means nedis is ahead); "ops per CPU-s ratio" is operations per second of ' +
      'server CPU (user+system from /proc/<pid>/stat). Every run starts from an empty database (SETBIT) or ' +
      `from mybitmap holding ${BITMAP_BITS / 8} pseudo-random bytes (GETBIT, BITCOUNT).`,
    ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}

runMain('bench:bitmap', main);
