#!/usr/bin/env node
import { COLLECTIONS_HELP, parseCollectionsOptions } from './lib/collectionsOptions.mjs';
// pnpm bench:collections — the collection commands under redis-benchmark (LPUSH … ZPOPMIN, LRANGE,
// MSET), nedis against redis-server, ops per server CPU second; then whether redis-benchmark's
// default test list completes against each server. Usage and how to read it: bench/README.md.
import { preparationFor, prepareServer, testRun } from './lib/collectionTests.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells, runCompareRounds } from './lib/compareRounds.mjs';
import { checkDefaultSuite } from './lib/defaultSuite.mjs';
import { renderSuiteCheck } from './lib/defaultSuiteReport.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';

async function main() {
  const options = parseCollectionsOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(COLLECTIONS_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });

  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  /** @type {import('./lib/compareReport.mjs').Cell[]} */
  const cells = options.measure ? emptyCells(options.tests, options.pipelines, options.requests) : [];
  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/defaultSuite.mjs').SuiteCheck>>} */
  const suite = {};
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
      ...testRun(cell.test),
      pipeline: cell.pipeline,
      clients: options.clients,
      keyspace: options.keyspace,
      dataSize: options.dataSize,
      clientCpu,
    });
    const prepare = async (
      /** @type {import('./lib/servers.mjs').RunningServer} */ server,
      /** @type {(typeof cells)[number]} */ cell,
      /** @type {number} */ requests,
    ) => {
      const preparation = preparationFor(cell.test, requests, { clients: options.clients, pipeline: cell.pipeline });
      await prepareServer(server.port, preparation, options.dataSize);
    };
    if (options.measure) await runCompareRounds(running, cells, shapeOf, options, prepare);

    if (options.suite) {
      for (const name of SERVER_NAMES) {
        await callOnce(running[name].port, 'FLUSHALL').catch(() => undefined);
        log(`default-list check on ${name}`);
        suite[name] = await checkDefaultSuite(running[name].port, {
          requests: options.suiteRequests,
          timeoutMs: 120_000,
        });
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }

  const summary = summarize(cells);
  const settings = {
    tests: options.tests,
    pipelines: options.pipelines,
    rounds: options.rounds,
    secondsPerRun: options.requests === null ? options.seconds : null,
    requests: options.requests,
    clients: options.clients,
    keyspace: options.keyspace,
    dataSize: options.dataSize,
    suiteRequests: options.suite ? options.suiteRequests : null,
    serverCpu,
    clientCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ machine, settings, results: summary, cells, defaultSuite: options.suite ? suite : null }, null, 2)}\n`,
    );
    return 0;
  }
  /** @type {string[]} */
  const out = [
    `## Collections, nedis vs Redis: redis-benchmark -c ${options.clients} -r ${options.keyspace} -d ${options.dataSize}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu} (taskset)` : 'none'}; took ${settings.durationSeconds} s`,
    '',
  ];
  if (options.measure) {
    const failures = failureLines(cells);
    out.push(
      `### Throughput and server CPU, medians of ${options.rounds} alternating rounds${options.requests === null ? `, -n calibrated for ~${options.seconds} s per run` : `, -n ${options.requests}`}`,
      '',
      renderCompareTable(summary),
      '',
      'Ratios are nedis/Redis (> 1× means nedis is ahead), medians of per-round ratios; "ops per CPU-s ratio" is ' +
        'operations per second of server CPU (user+system from /proc/<pid>/stat). Before every run the test key is ' +
        'reset: pushes and adds start from a missing key, pops from one holding every element the run pops, LRANGE ' +
        'from a 1,000-item list (run as the custom command LRANGE mylist 0 <n-1>).',
      ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
      '',
    );
  }
  if (options.suite) out.push(renderSuiteCheck(suite, options.suiteRequests), '');
  process.stdout.write(out.join('\n'));
  return 0;
}

runMain('bench:collections', main);
