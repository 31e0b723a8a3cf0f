#!/usr/bin/env node
// pnpm bench:pubsub — pub/sub fan-out of nedis against redis-server: one pipelining publisher,
// 1/100/1000 subscribers, delivered messages/s and server CPU per delivered message, one server
// loaded at a time, alternating round by round. Usage and how to read the table: bench/README.md.
import { describeMachine, machineLines } from './lib/machine.mjs';
import { PUBSUB_HELP, parsePubsubOptions } from './lib/pubsubOptions.mjs';
import { pubsubFailureLines, renderPubsubTable, SERVER_NAMES, summarizePubsub } from './lib/pubsubReport.mjs';
import { measuredPubsubRun } from './lib/pubsubRun.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { callOnce, resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';
import { formatInt } from './lib/table.mjs';

/** Share of one CPU, from CPU microseconds per second. @param {number} microsPerSecond */
const pct = (microsPerSecond) => `${Math.round(microsPerSecond / 1e4)}%`;

async function main() {
  const options = parsePubsubOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(PUBSUB_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });

  /** @type {Partial<Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>>} */
  const servers = {};
  /** @type {import('./lib/pubsubReport.mjs').Cell[]} */
  const cells = [];
  for (const subscribers of options.subscribers) {
    for (const payloadBytes of options.sizes) {
      cells.push({
        subscribers,
        payloadBytes,
        servers: { nedis: { error: null, runs: [] }, redis: { error: null, runs: [] } },
      });
    }
  }
  const startedAt = Date.now();
  try {
    for (const name of SERVER_NAMES) {
      const server = await startServer(specs[name], { cpu: serverCpu });
      servers[name] = server;
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
    }
    const running = /** @type {Record<'nedis' | 'redis', import('./lib/servers.mjs').RunningServer>} */ (servers);
    const maxClients = Math.max(...options.subscribers) + 100;
    for (const name of SERVER_NAMES) {
      // Both servers default to maxclients 10000; ask for more only when the run needs it.
      if (maxClients > 10_000) await callOnce(running[name].port, 'CONFIG', 'SET', 'maxclients', String(maxClients));
    }

    let runIndex = 0;
    for (let round = 1; round <= options.rounds; round++) {
      // Alternate which server goes first so neither always runs right after the other.
      const order = round % 2 === 1 ? SERVER_NAMES : [...SERVER_NAMES].reverse();
      for (const cell of cells) {
        // Same-length channel names on both servers, a fresh one per run: leftovers of a previous
        // run can never receive, and the frames are byte for byte the same size.
        const channel = `bench-pubsub-${String(++runIndex).padStart(5, '0')}`;
        for (const name of order) {
          const serverCell = cell.servers[name];
          const server = running[name];
          if (serverCell.error !== null) continue;
          if (server.exited()) {
            serverCell.error = `${name} is no longer running`;
            continue;
          }
          const run = await measuredPubsubRun(server, {
            subscribers: cell.subscribers,
            payloadBytes: cell.payloadBytes,
            seconds: options.seconds,
            batch: options.batch,
            window: options.window,
            maxLagBytesPerSubscriber: options.maxLagBytesPerSubscriber,
            maxLagBytesTotal: options.maxLagBytesTotal,
            drainTimeoutMs: options.drainTimeoutMs,
            clientCpu,
            channel,
            counting: options.counting,
          });
          serverCell.runs.push({ ...run, round });
          const label = `round ${round}/${options.rounds} ${cell.subscribers} subs × ${cell.payloadBytes} B ${name}`;
          if (run.ok) {
            const paused = run.pausedMs > 0 ? `, held back by the lag bound ${Math.round(run.pausedMs)} ms` : '';
            const backlog = `, subscriber backlog ≤ ${formatInt(run.maxBacklogDeliveries)} msgs`;
            const drained = run.drained
              ? ''
              : ` — NOT drained: ${formatInt(run.deliveries - run.delivered)} deliveries missing`;
            log(
              `${label}: ${formatInt(run.delivered / run.seconds)} msg/s delivered, ` +
                `${formatInt((run.serverCpuMicros * 1000) / Math.max(1, run.delivered))} ns CPU/msg, ` +
                `${formatInt(run.published)} published in ${run.publishSeconds.toFixed(2)} s${paused}${backlog}${drained}; ` +
                `CPU busy: server ${pct(run.serverCpuMicros / run.seconds)}, subscribers ${pct(run.subscriberCpuMicros / run.seconds)}, ` +
                `publisher ${pct(run.publisherCpuMicros / run.publishSeconds)}`,
            );
          } else {
            serverCell.error = run.error;
            log(`${label} failed: ${run.error.split('\n')[0]}`);
          }
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }

  const summary = summarizePubsub(cells);
  const settings = {
    subscribers: options.subscribers,
    sizes: options.sizes,
    rounds: options.rounds,
    secondsPerRun: options.seconds,
    batch: options.batch,
    window: options.window,
    maxLagBytesPerSubscriber: options.maxLagBytesPerSubscriber,
    maxLagBytesTotal: options.maxLagBytesTotal,
    counting: options.counting,
    serverCpu,
    clientCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  const failures = pubsubFailureLines(cells);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, settings, results: summary, cells }, null, 2)}\n`);
  } else {
    const undrained = summary.some((row) => row.nedis.undrainedRounds > 0 || row.redis.undrainedRounds > 0);
    process.stdout.write(
      [
        `## nedis vs Redis: pub/sub fan-out, PUBLISH pipelined ${options.batch} per write, medians of ${options.rounds} alternating rounds`,
        '',
        ...machineLines(machine),
        `- pinning: ${pin ? `servers on CPU ${serverCpu}, publisher and subscriber processes on CPU ${clientCpu} (taskset)` : 'none'}; ` +
          `${options.seconds} s of publishing per run; took ${settings.durationSeconds} s`,
        '',
        renderPubsubTable(summary),
        '',
        'msg/s = messages received by all subscribers together / (publishing + drain time). CPU = server user+system time ' +
          'from /proc/<pid>/stat (10 ms ticks) over the same span, per delivered message; busy = that CPU time / span. ' +
          'bound wait = share of the publishing time the publisher held a batch back because published-but-not-yet-received ' +
          `messages (in flight at the server or queued for subscribers) would have exceeded the bound (${options.maxLagBytesPerSubscriber / 1048576} MiB per subscriber, ` +
          `${options.maxLagBytesTotal / 1048576} MiB in all). ` +
          'Ratios are nedis/Redis (> 1× means nedis is ahead), medians of per-round ratios.',
        ...(undrained
          ? ['', '`*`: in some rounds the subscribers had not received everything published within --drain-seconds.']
          : []),
        ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
        '',
      ].join('\n'),
    );
  }
  return failures.length > 0 ? 1 : 0;
}

runMain('bench:pubsub', main);
