#!/usr/bin/env node
// pnpm bench:compare — throughput, latency and server CPU cost of nedis against redis-server,
// measured with redis-benchmark, one server loaded at a time, alternating round by round.
// Usage and how to read the table: bench/README.md.
import { COMPARE_HELP, parseCompareOptions } from './lib/compareOptions.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells, runCompareRounds } from './lib/compareRounds.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';

async function main() {
  const options = parseCompareOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(COMPARE_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });

  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  /** @type {import('./lib/compareReport.mjs').Cell[]} */
  const cells = [];
  const startedAt = Date.now();
  try {
    for (const name of SERVER_NAMES) {
      const server = await startServer(specs[name], { cpu: serverCpu });
      servers[name] = server;
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
      // Start from an empty keyspace; a server without FLUSHALL yet is started empty anyway.
      await callOnce(server.port, 'FLUSHALL').catch(() => undefined);
    }
    const running = /** @type {Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>} */ (servers);

    cells.push(...emptyCells(options.tests, options.pipelines, options.requests));
    const shapeOf = (/** @type {(typeof cells)[number]} */ cell) => ({
      test: cell.test,
      pipeline: cell.pipeline,
      clients: options.clients,
      keyspace: options.keyspace,
      dataSize: options.dataSize,
      clientCpu,
    });
    await runCompareRounds(running, cells, shapeOf, options);
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
    serverCpu,
    clientCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, settings, results: summary, cells }, null, 2)}\n`);
  } else {
    const failures = failureLines(cells);
    process.stdout.write(
      [
        `## nedis vs Redis: redis-benchmark, -c ${options.clients}, -r ${options.keyspace}, -d ${options.dataSize}, medians of ${options.rounds} alternating rounds`,
        '',
        ...machineLines(machine),
        `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu} (taskset)` : 'none'}; ` +
          `${options.requests === null ? `-n calibrated for ~${options.seconds} s per run` : `-n ${options.requests}`}; took ${settings.durationSeconds} s`,
        '',
        renderCompareTable(summary),
        '',
        'Ratios are nedis/Redis (> 1× means nedis is ahead), medians of per-round ratios. ' +
          'CPU is server user+system time from /proc/<pid>/stat (10 ms ticks); busy = server CPU time / run time.',
        ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
        '',
      ].join('\n'),
    );
  }
  return 0;
}

runMain('bench:compare', main);
