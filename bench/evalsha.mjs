#!/usr/bin/env node
// pnpm bench:evalsha — the cost of running a Lua script, nedis against redis-server in one run:
// redis-benchmark sends `EVALSHA <sha> 1 <key>` of a script doing GET + INCR (loaded with SCRIPT
// LOAD on each server), one server loaded at a time, alternating round by round; ops per server
// CPU second (utime+stime from /proc/<pid>/stat) and the nedis/Redis ratio. Usage: bench/README.md.
import { parseArgs } from 'node:util';
import { list, positiveInt } from './lib/compareOptions.mjs';
import { failureLines, renderCompareTable, SERVER_NAMES, summarize } from './lib/compareReport.mjs';
import { emptyCells } from './lib/compareRounds.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { calibrateRequests, measuredRun } from './lib/measuredRun.mjs';
import { ReplyError } from './lib/respReader.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { SERVER_OPTIONS, serverFlagsOf } from './lib/serverOptions.mjs';
import { callOnce, resolvePinning, resolveServerSpecsOrReason, startServer } from './lib/servers.mjs';
import { formatInt } from './lib/table.mjs';

const SCRIPT = "local v = redis.call('GET', KEYS[1]); return redis.call('INCR', KEYS[1])";
const KEY = 'evalsha:counter';

const HELP = `Usage: node bench/evalsha.mjs [options]     (or: pnpm bench:evalsha -- [options])

redis-benchmark -c <clients> -P <pipeline> EVALSHA <sha> 1 ${KEY} against nedis and
redis-server, where <sha> is SCRIPT LOAD of
  ${SCRIPT}
One server at a time, alternating round by round; medians of ops per server CPU second.

  --pipelines <list>   pipeline depths (-P), comma separated        (default 1,16)
  --rounds <n>         rounds per server; medians are reported      (default 3)
  --seconds <s>        target duration of each run; -n is calibrated (default 1.5)
  --requests <n>       fixed -n for every run instead of calibrating
  --clients <n>        parallel connections (-c)                    (default 50)
  --only <server>      measure only nedis or only redis
  --server-cpu <n>     CPU both servers are pinned to               (default 1)
  --client-cpu <n>     CPU redis-benchmark is pinned to             (default 0)
  --no-pin             do not use taskset
  --json               print JSON (machine, settings, every run, medians) instead of the table
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis (= form: --nedis-args="--maxmemory 1gb")
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form)
  -h, --help           this text
`;

/** @typedef {'nedis' | 'redis'} ServerName */
/** @typedef {import('./lib/servers.mjs').RunningServer} RunningServer */

/** @param {string[]} argv */
function parseOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      pipelines: { type: 'string', default: '1,16' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '1.5' },
      requests: { type: 'string' },
      clients: { type: 'string', default: '50' },
      only: { type: 'string' },
      'server-cpu': { type: 'string', default: '1' },
      'client-cpu': { type: 'string', default: '0' },
      'no-pin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...SERVER_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new Error(`--seconds must be in (0, 600], got '${values.seconds}'`);
  const rounds = positiveInt(values.rounds, '--rounds');
  if (rounds > 50) throw new Error('--rounds must be ≤ 50');
  if (values.only !== undefined && values.only !== 'nedis' && values.only !== 'redis')
    throw new Error(`--only must be nedis or redis, got '${values.only}'`);
  return {
    help: values.help,
    pipelines: list(values.pipelines, '--pipelines').map((p) => positiveInt(p, '--pipelines')),
    rounds,
    seconds,
    requests: values.requests === undefined ? null : positiveInt(values.requests, '--requests'),
    clients: positiveInt(values.clients, '--clients'),
    /** @type {ServerName[]} */
    servers: values.only === undefined ? [...SERVER_NAMES] : [/** @type {ServerName} */ (values.only)],
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { specs, nedisProblem } = resolveServerSpecsOrReason(options.serverFlags, options.servers);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  const cells = emptyCells(['evalsha'], options.pipelines, options.requests);
  const setError = (/** @type {ServerName} */ name, /** @type {string} */ error) => {
    for (const cell of cells) cell.servers[name].error = error;
  };
  for (const name of SERVER_NAMES) if (!options.servers.includes(name)) setError(name, 'not measured (--only)');

  /** @type {Partial<Record<ServerName, { server: RunningServer, sha: string }>>} */
  const running = {};
  const startedAt = Date.now();
  try {
    for (const name of options.servers) {
      if (name === 'nedis' && nedisProblem !== null) {
        log(`nedis: not started: ${nedisProblem}`);
        setError(name, `not started: ${nedisProblem.split('\n')[0]}`);
        continue;
      }
      const server = await startServer(specs[name], { cpu: serverCpu });
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
      const sha = await callOnce(server.port, 'SCRIPT', 'LOAD', SCRIPT);
      if (typeof sha !== 'string') {
        // The measured result of a server without scripting would be the speed of its error reply.
        const reason = sha instanceof ReplyError ? sha.message : JSON.stringify(sha);
        log(`${name}: EVALSHA unknown (SCRIPT LOAD replied ${reason})`);
        setError(name, `EVALSHA unknown: SCRIPT LOAD replied ${reason}`);
        await server.stop();
        continue;
      }
      await callOnce(server.port, 'SET', KEY, '0');
      running[name] = { server, sha };
    }
    await measure(running, cells, options, clientCpu);
  } finally {
    for (const { server } of Object.values(running)) await server.stop();
  }

  const summary = summarize(cells);
  const settings = {
    script: SCRIPT,
    pipelines: options.pipelines,
    rounds: options.rounds,
    secondsPerRun: options.requests === null ? options.seconds : null,
    requests: options.requests,
    clients: options.clients,
    servers: options.servers,
    serverCpu,
    clientCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, settings, results: summary, cells }, null, 2)}\n`);
    return 0;
  }
  const failures = failureLines(cells);
  const out = [
    `## EVALSHA of a GET + INCR script, nedis vs Redis: redis-benchmark -c ${options.clients}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu} (taskset)` : 'none'}; took ${settings.durationSeconds} s`,
    `- script: \`${SCRIPT}\`, run as \`EVALSHA <sha> 1 ${KEY}\``,
    '',
    `### Medians of ${options.rounds} alternating rounds${options.requests === null ? `, -n calibrated for ~${options.seconds} s per run` : `, -n ${options.requests}`}`,
    '',
    renderCompareTable(summary),
    '',
    'Ratios are nedis/Redis (> 1× means nedis is ahead; the target is ≥ 0.70× ops per CPU-s), medians of ' +
      'per-round ratios; "ops per CPU-s ratio" is scripts run per second of server CPU (user+system from ' +
      '/proc/<pid>/stat).',
    ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}

/**
 * Calibrates -n per server and pipeline depth, then runs the rounds, the first server alternating
 * so neither always runs right after the other. Fills `cells` in place.
 * @param {Partial<Record<ServerName, { server: RunningServer, sha: string }>>} running
 * @param {import('./lib/compareReport.mjs').Cell[]} cells
 * @param {ReturnType<typeof parseOptions>} options
 * @param {number | null} clientCpu
 */
async function measure(running, cells, options, clientCpu) {
  const shapeOf = (/** @type {string} */ sha, /** @type {number} */ pipeline) => ({
    test: 'evalsha',
    pipeline,
    clients: options.clients,
    keyspace: 1,
    dataSize: 3,
    clientCpu,
    command: ['EVALSHA', sha, '1', KEY],
    label: 'EVALSHA GET+INCR',
  });
  if (options.requests === null) {
    for (const cell of cells) {
      for (const name of SERVER_NAMES) {
        const entry = running[name];
        if (entry === undefined) continue;
        const result = await calibrateRequests(entry.server, shapeOf(entry.sha, cell.pipeline), options.seconds);
        if (result.ok) {
          cell.servers[name].requests = result.requests;
          log(`calibrated P=${cell.pipeline} ${name}: ~${formatInt(result.probeRps)} ops/s → -n ${result.requests}`);
        } else {
          cell.servers[name].error = result.error;
          log(`calibration failed for P=${cell.pipeline} on ${name}: ${result.error.split('\n')[0]}`);
        }
      }
    }
  }
  const timeoutMs = Math.max(60_000, options.seconds * 15_000);
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? SERVER_NAMES : [...SERVER_NAMES].reverse();
    for (const cell of cells) {
      for (const name of order) {
        const entry = running[name];
        const serverCell = cell.servers[name];
        if (entry === undefined || serverCell.error !== null || serverCell.requests === null) continue;
        const run = await measuredRun(entry.server, shapeOf(entry.sha, cell.pipeline), serverCell.requests, timeoutMs);
        serverCell.runs.push({ ...run, round });
        if (run.ok) {
          // A probe taken while the machine was busier underestimates -n; grow it (never shrink)
          // so later rounds last the target time and the 10 ms CPU tick stays a small error.
          const slowest = Math.min(...run.rows.map((r) => r.rps));
          if (options.requests === null && run.benchmarkSeconds < options.seconds * 0.95) {
            serverCell.requests = Math.max(run.requests, Math.ceil((slowest * options.seconds * 1.15) / 1_000) * 1_000);
          }
          const rps = run.rows.map((r) => formatInt(r.rps)).join(', ');
          const cpuSeconds = run.serverCpuMicros / 1e6;
          log(
            `round ${round}/${options.rounds} P=${cell.pipeline} ${name}: ${rps} ops/s, ` +
              `${formatInt(run.requests / cpuSeconds)} ops per server CPU-s`,
          );
        } else {
          serverCell.error = run.error;
          log(`round ${round}/${options.rounds} P=${cell.pipeline} ${name} failed: ${run.error.split('\n')[0]}`);
        }
      }
    }
  }
}

runMain('bench:evalsha', main);
