#!/usr/bin/env node
// node bench/hll.mjs — HyperLogLog under redis-benchmark, nedis against redis-server: PFADD of
// random elements into one dense HLL, PFADD creating random keys (sparse HLLs),
// PFCOUNT of a dense HLL (cached) and of two (merged, never cached), ops per server CPU second;
// then used_memory of 100K small HLLs on a fresh server of each. Needs a built server
// (turbo run build --filter=nedis-server...). Flags: --rounds, --seconds, --pipelines, --clients,
// --keyspace, --hlls, --json, --no-pin (as bench/collections.mjs).
import { parseArgs } from 'node:util';
import { list, positiveInt } from './lib/compareOptions.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells, runCompareRounds } from './lib/compareRounds.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { memorySnapshot } from './lib/memorySnapshot.mjs';
import { encodeCommand, RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';
import { formatInt } from './lib/table.mjs';

/** The measured commands, as redis-benchmark custom commands. */
const HLL_TESTS = {
  pfadd: { command: ['PFADD', 'myhll', 'ele:__rand_int__'], label: 'PFADD myhll <random element> (dense)' },
  pfadd_keys: { command: ['PFADD', 'hll:__rand_int__', 'a', 'b', 'c'], label: 'PFADD <random key> a b c' },
  pfcount: { command: ['PFCOUNT', 'densehll'], label: 'PFCOUNT densehll (cached)' },
  pfcount_2: { command: ['PFCOUNT', 'densehll', 'sparsehll'], label: 'PFCOUNT densehll sparsehll (merged)' },
};

/**
 * Sends `commands` (RESP) over one connection in pipelined chunks; any error reply throws.
 * @param {RespClient} client
 * @param {string[]} commands
 */
async function sendAll(client, commands) {
  for (let i = 0; i < commands.length; i += 1000) {
    const chunk = commands.slice(i, i + 1000);
    const result = await client.send(Buffer.from(chunk.join(''), 'latin1'), chunk.length);
    if (result.errors > 0) throw new Error(result.firstError ?? 'error reply');
  }
}

/** @param {number} port */
async function prepareHlls(port) {
  const client = await RespClient.connect(port, { timeoutMs: 120_000 });
  try {
    await client.call('DEL', 'densehll', 'sparsehll');
    const commands = [];
    for (let i = 0; i < 50_000; i += 500) {
      const args = ['PFADD', 'densehll'];
      for (let j = i; j < i + 500; j++) args.push(`d:${j}`);
      commands.push(encodeCommand(args));
    }
    const sparse = ['PFADD', 'sparsehll'];
    for (let j = 0; j < 200; j++) sparse.push(`s:${j}`);
    commands.push(encodeCommand(sparse));
    await sendAll(client, commands);
  } finally {
    client.close();
  }
}

/**
 * used_memory of `count` HLLs `hll:<i>` holding 10 elements each, on a fresh server.
 * @param {'nedis' | 'redis'} name
 * @param {import('./lib/servers.mjs').ServerSpec} spec
 * @param {number} count
 */
async function measureMemory(name, spec, count) {
  const server = await startServer(spec, { cpu: null });
  try {
    const client = await RespClient.connect(server.port, { timeoutMs: 120_000 });
    try {
      const empty = await memorySnapshot(server, client);
      const commands = [];
      for (let i = 0; i < count; i++) {
        const args = ['PFADD', `hll:${i}`];
        for (let j = 0; j < 10; j++) args.push(`e:${i}:${j}`);
        commands.push(encodeCommand(args));
      }
      await sendAll(client, commands);
      const loaded = await memorySnapshot(server, client);
      const strlen = await client.call('STRLEN', 'hll:0');
      log(`${name}: ${formatInt(loaded.dbsize)} HLLs, used_memory +${formatInt(loaded.usedMemory - empty.usedMemory)}`);
      return { usedMemory: loaded.usedMemory - empty.usedMemory, rss: loaded.rssBytes - empty.rssBytes, strlen };
    } finally {
      client.close();
    }
  } finally {
    await server.stop();
  }
}

const USAGE = `Usage: node bench/hll.mjs [--tests ${Object.keys(HLL_TESTS).join(',')}] [--pipelines 16,1] [--rounds 3]
  [--seconds 2] [--clients 50] [--keyspace 100000] [--hlls 100000] [--server-cpu 1] [--client-cpu 0] [--no-pin] [--json]

redis-benchmark custom commands PFADD (dense HLL, random new keys) and PFCOUNT (cached, merged of two) against nedis
and redis-server, one server at a time, alternating round by round: ops per server CPU second and the nedis/Redis
ratio; then used_memory of --hlls small HLLs on a fresh server of each. Build nedis first.
`;

async function main() {
  const argv = process.argv[2] === '--' ? process.argv.slice(3) : process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      tests: { type: 'string', default: Object.keys(HLL_TESTS).join(',') },
      pipelines: { type: 'string', default: '16,1' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '2' },
      clients: { type: 'string', default: '50' },
      keyspace: { type: 'string', default: '100000' },
      hlls: { type: 'string', default: '100000' },
      'server-cpu': { type: 'string', default: '1' },
      'client-cpu': { type: 'string', default: '0' },
      'no-pin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const tests = list(values.tests, '--tests');
  for (const t of tests) if (!(t in HLL_TESTS)) throw new Error(`--tests: unknown test '${t}'`);
  const options = {
    tests,
    pipelines: list(values.pipelines, '--pipelines').map((p) => positiveInt(p, '--pipelines')),
    rounds: positiveInt(values.rounds, '--rounds'),
    seconds: Number(values.seconds),
    requests: null,
    clients: positiveInt(values.clients, '--clients'),
    keyspace: positiveInt(values.keyspace, '--keyspace'),
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
  };
  const hlls = positiveInt(values.hlls, '--hlls');
  const specs = resolveServerSpecs({});
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  const cells = emptyCells(options.tests, options.pipelines, null);
  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  try {
    for (const name of SERVER_NAMES) {
      servers[name] = await startServer(specs[name], { cpu: serverCpu });
      await callOnce(servers[name].port, 'FLUSHALL');
      await prepareHlls(servers[name].port);
    }
    const running = /** @type {Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>} */ (servers);
    const shapeOf = (/** @type {(typeof cells)[number]} */ cell) => ({
      test: cell.test,
      ...HLL_TESTS[/** @type {keyof typeof HLL_TESTS} */ (cell.test)],
      pipeline: cell.pipeline,
      clients: options.clients,
      keyspace: options.keyspace,
      dataSize: 3,
      clientCpu,
    });
    await runCompareRounds(running, cells, shapeOf, options, async (server, cell) => {
      if (cell.test !== 'pfadd') return;
      // Every run starts from an empty dense HLL: the steady state of a busy counter.
      await callOnce(server.port, 'DEL', 'myhll');
      await callOnce(server.port, 'PFADD', 'myhll');
      await callOnce(server.port, 'PFDEBUG', 'TODENSE', 'myhll');
    });
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  const memory = {
    nedis: await measureMemory('nedis', specs.nedis, hlls),
    redis: await measureMemory('redis', specs.redis, hlls),
  };
  const summary = summarize(cells);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ machine, options, results: summary, cells, memory }, null, 2)}\n`);
    return 0;
  }
  const failures = failureLines(cells);
  const out = [
    `## HyperLogLog, nedis vs Redis: redis-benchmark -c ${options.clients} -r ${options.keyspace}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu}` : 'none'}`,
    '',
    renderCompareTable(summary),
    ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
    '',
    `### Memory of ${formatInt(hlls)} HLLs of 10 elements (sparse, ${memory.redis.strlen} bytes each in Redis)`,
    '',
    '| server | used_memory growth | per HLL | RSS growth |',
    '|---|---:|---:|---:|',
    ...SERVER_NAMES.map(
      (n) =>
        `| ${n} | ${formatInt(memory[n].usedMemory)} | ${formatInt(memory[n].usedMemory / hlls)} | ${formatInt(memory[n].rss)} |`,
    ),
    '',
    `nedis/Redis used_memory: ${(memory.nedis.usedMemory / memory.redis.usedMemory).toFixed(2)}×`,
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}

runMain('bench:hll', main);
