#!/usr/bin/env node
// pnpm bench:notify-lag — how late `expired` keyspace events arrive after their keys' deadlines,
// nedis against redis-server, one server at a time, alternating round by round.
// Usage and how to read the table: bench/README.md.
import { describeMachine, machineLines } from './lib/machine.mjs';
import { NOTIFY_LAG_HELP, parseNotifyLagOptions } from './lib/pubsubLagOptions.mjs';
import { formatLag, LAG_SERVER_NAMES, renderLagTable, summarizeLagServer } from './lib/pubsubLagReport.mjs';
import { measuredLagRun } from './lib/pubsubLagRun.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';
import { formatInt } from './lib/table.mjs';

async function main() {
  const options = parseNotifyLagOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(NOTIFY_LAG_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const { pin, serverCpu } = resolvePinning({ pin: options.pin, serverCpu: options.serverCpu });
  const machine = describeMachine({ nedisCommand: specs.nedis.command });

  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  /** @type {Record<'nedis' | 'redis', import('./lib/pubsubLagReport.mjs').LagServerRuns>} */
  const runs = { nedis: { error: null, runs: [] }, redis: { error: null, runs: [] } };
  const startedAt = Date.now();
  try {
    for (const name of LAG_SERVER_NAMES) {
      const server = await startServer(specs[name], { cpu: serverCpu });
      servers[name] = server;
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
    }
    const running = /** @type {Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>} */ (servers);
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? LAG_SERVER_NAMES : [...LAG_SERVER_NAMES].reverse();
      for (const name of order) {
        const serverRuns = runs[name];
        if (serverRuns.error !== null) continue;
        log(
          `round ${round}/${options.rounds} ${name}: ${formatInt(options.keys)} keys expiring ${options.minTtlMs}–${options.maxTtlMs} ms from now…`,
        );
        const run = await measuredLagRun(running[name], {
          keys: options.keys,
          minTtlMs: options.minTtlMs,
          maxTtlMs: options.maxTtlMs,
          graceMs: options.graceMs,
          setMode: options.setMode,
          batch: options.batch,
          seed: options.seed + round - 1,
          idleMs: options.idleMs,
        });
        serverRuns.runs.push({ ...run, round });
        if (run.ok) {
          const s = run.summary;
          log(
            `round ${round}/${options.rounds} ${name}: ${formatInt(s.received)}/${formatInt(s.keys)} events, ` +
              `lag p50 ${formatLag(s.p50Ms)} p99 ${formatLag(s.p99Ms)} max ${formatLag(s.maxMs)} ms; loaded in ${run.loadSeconds.toFixed(2)} s` +
              (run.loadOverlappedDeadlines ? ' (loading was still going on at the first deadlines)' : ''),
          );
        } else {
          serverRuns.error = run.error;
          log(`round ${round}/${options.rounds} ${name} failed: ${run.error.split('\n')[0]}`);
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }

  const summaries = { nedis: summarizeLagServer(runs.nedis), redis: summarizeLagServer(runs.redis) };
  const settings = {
    keys: options.keys,
    minTtlMs: options.minTtlMs,
    maxTtlMs: options.maxTtlMs,
    graceMs: options.graceMs,
    setMode: options.setMode,
    batch: options.batch,
    seed: options.seed,
    idleMs: options.idleMs,
    rounds: options.rounds,
    serverCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  const failures = LAG_SERVER_NAMES.filter((name) => runs[name].error !== null);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, settings, results: summaries, runs }, null, 2)}\n`);
  } else {
    const warnings = [];
    for (const name of LAG_SERVER_NAMES) {
      const s = summaries[name];
      if (s.duplicateEvents > 0)
        warnings.push(`- ${name} sent ${formatInt(s.duplicateEvents)} duplicate expired events`);
      if (s.unknownEvents > 0)
        warnings.push(`- ${name} sent ${formatInt(s.unknownEvents)} events for keys this bench did not write`);
      if (s.loadOverlappedDeadlines)
        warnings.push(`- ${name}: loading was still going on at the first deadlines (raise --min-ttl-ms)`);
    }
    process.stdout.write(
      [
        `## nedis vs Redis: expired-event lag, ${formatInt(options.keys)} keys with deadlines ${options.minTtlMs}–${options.maxTtlMs} ms ahead` +
          `${options.rounds > 1 ? `, medians of ${options.rounds} alternating rounds` : ''}`,
        '',
        ...machineLines(machine),
        `- pinning: ${pin ? `servers on CPU ${serverCpu} (taskset); listener and loader unpinned in the harness` : 'none'}; ` +
          `SET … ${options.setMode.toUpperCase()}, notify-keyspace-events Ex, waited up to ${options.graceMs} ms after the last deadline; took ${settings.durationSeconds} s`,
        '',
        renderLagTable(summaries, options.keys),
        '',
        "lag = when the `expired` event reached the subscriber − the key's deadline (one wall clock for both). " +
          'A key whose event never came counts as an infinite lag, so percentiles that reach those keys say "never". ' +
          'Server CPU is user+system time from /proc/<pid>/stat between the end of loading and the last event ' +
          '(busy = that time / the span); the idle figure is the same measure over --idle-ms before loading, for comparison.',
        ...(warnings.length > 0 ? ['', ...warnings] : []),
        ...(failures.length > 0
          ? ['', 'Not measured:', ...failures.map((name) => `- ${name}: ${(runs[name].error ?? '').split('\n')[0]}`)]
          : []),
        '',
      ].join('\n'),
    );
  }
  return failures.length > 0 ? 1 : 0;
}

runMain('bench:notify-lag', main);
