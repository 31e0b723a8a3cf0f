#!/usr/bin/env node
// pnpm bench:bullmq — a job queue's load, nedis against redis-server in one run: N jobs added
// with BullMQ's addBulk in chunks, then processed by one Worker (concurrency 50) in this process.
// Nearly every BullMQ operation is a Lua script (EVALSHA), so this is scripting under a real
// client. Reports jobs added/s and processed/s (wall clock) and the server's CPU µs per job
// (utime+stime from /proc/<pid>/stat), medians over alternating rounds. Usage: bench/README.md.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { positiveInt } from './lib/compareOptions.mjs';
import { SERVER_NAMES } from './lib/compareReport.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { readCpuMicros } from './lib/procstat.mjs';
import { ReplyError } from './lib/respReader.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { SERVER_OPTIONS, serverFlagsOf } from './lib/serverOptions.mjs';
import { callOnce, REPO_ROOT, resolvePinning, resolveServerSpecsOrReason, startServer } from './lib/servers.mjs';
import { median } from './lib/stats.mjs';
import { formatFixed, formatInt, formatRatio, markdownTable } from './lib/table.mjs';

const HELP = `Usage: node bench/bullmq.mjs [options]     (or: pnpm bench:bullmq -- [options])

BullMQ (the nedis-server devDependency) against nedis and redis-server, one server at a time,
alternating round by round: --jobs jobs added with Queue.addBulk, --chunk per call, one call in
flight; then one Worker with --concurrency processes them (the processor returns at once).

  --jobs <n>           jobs per run                                  (default 20000)
  --chunk <n>          jobs per addBulk call                         (default 500)
  --concurrency <n>    Worker concurrency                            (default 50)
  --rounds <n>         runs per server; medians are reported         (default 3)
  --timeout <s>        give up on a phase of a run after this long   (default 120)
  --only <server>      measure only nedis or only redis
  --server-cpu <n>     CPU both servers are pinned to                (default 1)
  --client-cpu <n>     CPU this process (BullMQ) is pinned to        (default 0)
  --no-pin             do not use taskset
  --json               print JSON (machine, settings, every run, medians) instead of the table
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis (= form: --nedis-args="--maxmemory 1gb")
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form)
  -h, --help           this text
`;

// bullmq is a devDependency of apps/server, not of the root: resolve it from there.
/** @type {typeof import('../apps/server/node_modules/bullmq/dist/esm/index.js')} */
const { Queue, Worker } = createRequire(path.join(REPO_ROOT, 'apps', 'server', 'package.json'))('bullmq');

const NOT_MEASURED = 'not measured (--only)';

/** @typedef {'nedis' | 'redis'} ServerName */
/** @typedef {import('./lib/servers.mjs').RunningServer} RunningServer */
/**
 * @typedef {{ round: number, addSeconds: number, addCpuMicros: number, processSeconds: number,
 *   processCpuMicros: number }} Run
 */

/** @param {string[]} argv */
function parseOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      jobs: { type: 'string', default: '20000' },
      chunk: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      timeout: { type: 'string', default: '120' },
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
  const rounds = positiveInt(values.rounds, '--rounds');
  if (rounds > 50) throw new Error('--rounds must be ≤ 50');
  if (values.only !== undefined && values.only !== 'nedis' && values.only !== 'redis')
    throw new Error(`--only must be nedis or redis, got '${values.only}'`);
  return {
    help: values.help,
    jobs: positiveInt(values.jobs, '--jobs'),
    chunk: positiveInt(values.chunk, '--chunk'),
    concurrency: positiveInt(values.concurrency, '--concurrency'),
    rounds,
    timeoutMs: positiveInt(values.timeout, '--timeout') * 1000,
    /** @type {ServerName[]} */
    servers: values.only === undefined ? [...SERVER_NAMES] : [/** @type {ServerName} */ (values.only)],
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}

/** @typedef {ReturnType<typeof parseOptions>} Options */

/**
 * Rejects after `ms` unless `promise` settles first.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {() => string} what describes the phase when it times out
 * @returns {Promise<T>}
 */
function within(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} did not finish within ${ms / 1000} s`)), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout])).finally(() => clearTimeout(timer));
}

/**
 * One run on an empty server: add `options.jobs` jobs, then process them all, measuring wall time
 * and the server's CPU time of each phase.
 * @param {RunningServer} server
 * @param {number} round
 * @param {Options} options
 * @returns {Promise<Run>}
 */
async function measureRun(server, round, options) {
  await callOnce(server.port, 'FLUSHALL');
  // BullMQ's blocking connections need ioredis to retry forever (maxRetriesPerRequest null).
  const connection = { host: '127.0.0.1', port: server.port, maxRetriesPerRequest: null };
  const name = `bench-${round}`;
  const queue = new Queue(name, { connection });
  /** @type {{ close: (force?: boolean) => Promise<void> } | null} */
  let worker = null;
  try {
    await queue.waitUntilReady();
    const addCpuBefore = readCpuMicros(server.pid);
    const addStarted = process.hrtime.bigint();
    const adding = (async () => {
      for (let first = 0; first < options.jobs; first += options.chunk) {
        const size = Math.min(options.chunk, options.jobs - first);
        await queue.addBulk(Array.from({ length: size }, (_, k) => ({ name: 'job', data: { i: first + k } })));
      }
    })();
    await within(adding, options.timeoutMs, () => 'adding');
    const addSeconds = Number(process.hrtime.bigint() - addStarted) / 1e9;
    const addCpuMicros = readCpuMicros(server.pid) - addCpuBefore;
    const waiting = await queue.getWaitingCount();
    if (waiting !== options.jobs) throw new Error(`${waiting} jobs waiting after adding ${options.jobs}`);

    let finished = 0;
    let failed = 0;
    /** @type {() => void} */
    let allDone = () => {};
    const done = new Promise((resolve) => {
      allDone = () => resolve(undefined);
    });
    const processing = new Worker(name, async (/** @type {{ data: { i: number } }} */ job) => job.data.i, {
      connection,
      concurrency: options.concurrency,
      autorun: false,
    });
    worker = processing;
    const count = (/** @type {boolean} */ ok) => {
      finished++;
      if (!ok) failed++;
      if (finished === options.jobs) allDone();
    };
    processing.on('completed', () => count(true));
    processing.on('failed', () => count(false));
    /** @type {Error | null} */
    let workerError = null;
    processing.on('error', (err) => {
      workerError ??= err;
    });
    await processing.waitUntilReady();
    const processCpuBefore = readCpuMicros(server.pid);
    const processStarted = process.hrtime.bigint();
    void processing.run();
    await within(done, options.timeoutMs, () => `processing (${finished} done, first worker error: ${workerError})`);
    const processSeconds = Number(process.hrtime.bigint() - processStarted) / 1e9;
    const processCpuMicros = readCpuMicros(server.pid) - processCpuBefore;
    if (failed > 0) throw new Error(`${failed} of ${options.jobs} jobs failed`);
    return { round, addSeconds, addCpuMicros, processSeconds, processCpuMicros };
  } finally {
    await worker?.close(true);
    await queue.close();
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { specs, nedisProblem } = resolveServerSpecsOrReason(options.serverFlags, options.servers);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  // Described before pinning this process, which would make it see one CPU.
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  if (clientCpu !== null) execFileSync('taskset', ['-a', '-p', '-c', String(clientCpu), String(process.pid)]);

  /** @type {Record<ServerName, { runs: Run[], error: string | null }>} */
  const results = {
    nedis: { runs: [], error: options.servers.includes('nedis') ? null : NOT_MEASURED },
    redis: { runs: [], error: options.servers.includes('redis') ? null : NOT_MEASURED },
  };
  /** @type {Partial<Record<ServerName, RunningServer>>} */
  const running = {};
  const startedAt = Date.now();
  try {
    for (const name of options.servers) {
      if (name === 'nedis' && nedisProblem !== null) {
        log(`nedis: not started: ${nedisProblem}`);
        results.nedis.error = `not started: ${nedisProblem.split('\n')[0]}`;
        continue;
      }
      const server = await startServer(specs[name], { cpu: serverCpu });
      running[name] = server;
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
      // BullMQ would fail on its first script; say so plainly instead.
      const probe = await callOnce(server.port, 'SCRIPT', 'LOAD', 'return 1');
      if (typeof probe !== 'string') {
        const reason = probe instanceof ReplyError ? probe.message : JSON.stringify(probe);
        log(`${name}: EVALSHA unknown (SCRIPT LOAD replied ${reason})`);
        results[name].error = `EVALSHA unknown: SCRIPT LOAD replied ${reason}`;
      }
    }
    for (let round = 1; round <= options.rounds; round++) {
      const order = round % 2 === 1 ? SERVER_NAMES : [...SERVER_NAMES].reverse();
      for (const name of order) {
        const server = running[name];
        if (server === undefined || results[name].error !== null) continue;
        try {
          const run = await measureRun(server, round, options);
          results[name].runs.push(run);
          log(
            `round ${round}/${options.rounds} ${name}: added ${formatInt(options.jobs / run.addSeconds)} jobs/s, ` +
              `processed ${formatInt(options.jobs / run.processSeconds)} jobs/s, server CPU µs/job ` +
              `${formatFixed(run.addCpuMicros / options.jobs)} + ${formatFixed(run.processCpuMicros / options.jobs)}`,
          );
        } catch (err) {
          results[name].error = err instanceof Error ? err.message : String(err);
          log(`round ${round}/${options.rounds} ${name} failed: ${results[name].error}`);
        }
      }
    }
  } finally {
    for (const server of Object.values(running)) await server.stop();
  }

  const rows = reportRows(results, options.jobs);
  const settings = {
    jobs: options.jobs,
    chunk: options.chunk,
    concurrency: options.concurrency,
    rounds: options.rounds,
    servers: options.servers,
    serverCpu,
    clientCpu,
    durationSeconds: Math.round((Date.now() - startedAt) / 1000),
    nedisCommand: [...specs.nedis.command, ...specs.nedis.extraArgs],
    redisCommand: [...specs.redis.command, ...specs.redis.extraArgs],
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ machine, settings, results, medians: rows }, null, 2)}\n`);
    return 0;
  }
  const failures = SERVER_NAMES.filter((name) => results[name].error !== null).map(
    (name) => `- ${name}: ${results[name].error}`,
  );
  const out = [
    `## BullMQ, nedis vs Redis: ${formatInt(options.jobs)} jobs, addBulk of ${options.chunk}, one Worker of concurrency ${options.concurrency}`,
    '',
    ...machineLines(machine),
    `- pinning: ${pin ? `servers on CPU ${serverCpu}, this process (BullMQ) on CPU ${clientCpu} (taskset)` : 'none'}; took ${settings.durationSeconds} s`,
    '',
    `### Medians of ${options.rounds} alternating rounds`,
    '',
    markdownTable(
      ['measure', 'nedis', 'redis', 'nedis / redis'],
      rows.map((r) => [r.measure, r.nedis, r.redis, r.ratio]),
      ['left', 'right', 'right', 'right'],
    ),
    '',
    'Ratios are nedis/Redis with > 1× meaning nedis is ahead (for CPU µs per job: Redis µs over nedis µs, i.e. ' +
      'jobs per server CPU-second), medians of per-round ratios; the target is ≥ 0.70×. Wall-clock rates include ' +
      'BullMQ itself, in this process; server CPU is user+system from /proc/<pid>/stat.',
    ...(failures.length > 0 ? ['', 'Not measured:', ...failures] : []),
    '',
  ];
  process.stdout.write(out.join('\n'));
  return 0;
}

/**
 * The table's rows: medians per server and the median of per-round nedis/Redis ratios.
 * @param {Record<ServerName, { runs: Run[], error: string | null }>} results
 * @param {number} jobs
 */
function reportRows(results, jobs) {
  /** @type {{ measure: string, metric: (run: Run) => number, higherIsBetter: boolean, digits: number }[]} */
  const measures = [
    { measure: 'jobs added per s', metric: (r) => jobs / r.addSeconds, higherIsBetter: true, digits: 0 },
    { measure: 'jobs processed per s', metric: (r) => jobs / r.processSeconds, higherIsBetter: true, digits: 0 },
    { measure: 'server CPU µs per job added', metric: (r) => r.addCpuMicros / jobs, higherIsBetter: false, digits: 1 },
    {
      measure: 'server CPU µs per job processed',
      metric: (r) => r.processCpuMicros / jobs,
      higherIsBetter: false,
      digits: 1,
    },
    {
      measure: 'server CPU µs per job, both phases',
      metric: (r) => (r.addCpuMicros + r.processCpuMicros) / jobs,
      higherIsBetter: false,
      digits: 1,
    },
  ];
  return measures.map(({ measure, metric, higherIsBetter, digits }) => {
    const show = (/** @type {ServerName} */ name) => {
      const value = median(results[name].runs.map(metric));
      if (!Number.isFinite(value))
        return results[name].error === null || results[name].error === NOT_MEASURED ? '—' : 'failed';
      return digits === 0 ? formatInt(value) : formatFixed(value, digits);
    };
    /** @type {number[]} */
    const ratios = [];
    for (const n of results.nedis.runs) {
      const r = results.redis.runs.find((run) => run.round === n.round);
      if (r) ratios.push(higherIsBetter ? metric(n) / metric(r) : metric(r) / metric(n));
    }
    return { measure, nedis: show('nedis'), redis: show('redis'), ratio: formatRatio(median(ratios)) };
  });
}

runMain('bench:bullmq', main);
