#!/usr/bin/env node
// node bench/geo.mjs (after building apps/server) — GEOADD and GEOSEARCH under redis-benchmark,
// nedis against redis-server, ops per server CPU second. Same flags as bench/collections.mjs
// (--tests takes the names below; the default-list check is not run). Structure copied from it.
import { parseCollectionsOptions } from './lib/collectionsOptions.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells, runCompareRounds } from './lib/compareRounds.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { encodeCommand, RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';

/** Points of the set GEOSEARCH runs on: random in lon 10..20, lat 35..45 (about 1,100 × 900 km). */
const SEARCH_SET_SIZE = 100_000;

/** @type {Record<string, { command: string[], label: string, fill: boolean }>} */
const GEO_TESTS = {
  // Each __rand_int__ is a fresh random (-r): 12 digits after the point keep the coordinates valid.
  geoadd: {
    command: ['GEOADD', 'mygeo', '15.__rand_int__', '40.__rand_int__', 'member:__rand_int__'],
    label: 'GEOADD (random member near 15,40)',
    fill: false,
  },
  geosearch_radius: {
    command: ['GEOSEARCH', 'mygeo', 'FROMLONLAT', '15', '40', 'BYRADIUS', '10', 'km', 'ASC', 'COUNT', '10', 'WITHDIST'],
    label: 'GEOSEARCH BYRADIUS 10 km ASC COUNT 10 WITHDIST (100k points)',
    fill: true,
  },
  geosearch_box: {
    command: ['GEOSEARCH', 'mygeo', 'FROMLONLAT', '15', '40', 'BYBOX', '20', '20', 'km', 'WITHCOORD'],
    label: 'GEOSEARCH BYBOX 20x20 km WITHCOORD (100k points)',
    fill: true,
  },
};

/**
 * A seeded PRNG so both servers get the same points.
 * @param {number} seed
 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * DEL mygeo, then (for the searches) GEOADD the search set, 1,000 points per command.
 * @param {number} port
 * @param {boolean} fill
 */
async function prepare(port, fill) {
  const client = await RespClient.connect(port, { timeoutMs: 120_000 });
  try {
    await client.call('DEL', 'mygeo');
    if (!fill) return;
    const rand = prng(42);
    const commands = [];
    for (let start = 0; start < SEARCH_SET_SIZE; start += 1000) {
      const args = ['GEOADD', 'mygeo'];
      for (let i = start; i < start + 1000; i++)
        args.push(String(10 + rand() * 10), String(35 + rand() * 10), `p:${i}`);
      commands.push(encodeCommand(args));
    }
    const result = await client.send(Buffer.from(commands.join(''), 'latin1'), commands.length);
    if (result.errors > 0) throw new Error(`filling mygeo: ${result.firstError}`);
  } finally {
    client.close();
  }
}

async function main() {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  if (!argv.some((a) => a.startsWith('--tests'))) argv.push(`--tests=${Object.keys(GEO_TESTS).join(',')}`);
  const options = parseCollectionsOptions([...argv, '--no-suite']);
  for (const test of options.tests) if (!(test in GEO_TESTS)) throw new Error(`unknown geo test '${test}'`);
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
    /** @param {string} test */
    const testOf = (test) => /** @type {(typeof GEO_TESTS)[string]} */ (GEO_TESTS[test]);
    const shapeOf = (/** @type {(typeof cells)[number]} */ cell) => ({
      test: cell.test,
      command: testOf(cell.test).command,
      label: testOf(cell.test).label,
      pipeline: cell.pipeline,
      clients: options.clients,
      keyspace: options.keyspace,
      dataSize: options.dataSize,
      clientCpu,
    });
    // The search set is filled once per server and run; GEOADD starts each run from no key.
    const prepareRun = (
      /** @type {import('./lib/servers.mjs').RunningServer} */ server,
      /** @type {(typeof cells)[number]} */ cell,
    ) => prepare(server.port, testOf(cell.test).fill);
    await runCompareRounds(running, cells, shapeOf, options, prepareRun);
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
    `## Geo, nedis vs Redis: redis-benchmark -c ${options.clients} -r ${options.keyspace}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu} (taskset)` : 'none'}; took ${Math.round((Date.now() - startedAt) / 1000)} s`,
    '',
    `### Throughput and server CPU, medians of ${options.rounds} alternating rounds`,
    '',
    renderCompareTable(summary),
    '',
    'Ratios are nedis/Redis (> 1× means nedis is ahead); "ops per CPU-s ratio" is operations per second of server CPU.',
    ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}

runMain('bench:geo', main);
