// Command-line flags of bench/compare.mjs.
import { parseArgs } from 'node:util';
import { SERVER_OPTIONS, serverFlagsOf } from './serverOptions.mjs';

export const COMPARE_HELP = `Usage: node bench/compare.mjs [options]     (or: pnpm bench:compare -- [options])

Runs redis-benchmark against nedis and redis-server, one server at a time, alternating round by
round, and prints a markdown table of medians.

  --tests <list>       redis-benchmark -t tests, comma separated   (default set,get,incr,mset)
  --pipelines <list>   pipeline depths (-P), comma separated        (default 1,16,64)
  --rounds <n>         rounds per server; medians are reported      (default 3, minimum 1)
  --seconds <s>        target duration of each run; -n is calibrated by a probe run (default 2)
  --requests <n>       fixed -n for every run instead of calibrating
  --clients <n>        parallel connections (-c)                    (default 50)
  --keyspace <n>       random key space (-r)                        (default 1000000)
  --data-size <n>      value size in bytes (-d)                     (default 3, redis-benchmark's)
  --server-cpu <n>     CPU both servers are pinned to               (default 1)
  --client-cpu <n>     CPU redis-benchmark is pinned to             (default 0)
  --no-pin             do not use taskset
  --json               print JSON (machine + settings + every run + medians) instead of the table
  --nedis-cmd <cmd>    command that starts nedis, before the port/bind/save args
                       (env NEDIS_SERVER_CMD; default: $NEDIS_NODE or this node + apps/server/dist/main.js)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis; use the = form: --nedis-args="--maxmemory 1gb"
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form, like --nedis-args)
  -h, --help           this text
`;

/**
 * @param {string} value
 * @param {string} flag
 * @param {number} min
 */
export function positiveInt(value, flag, min = 1) {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** @param {string} value @param {string} flag */
export function list(value, flag) {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${flag} needs at least one item`);
  return items;
}

/**
 * @param {string[]} argv
 */
export function parseCompareOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      tests: { type: 'string', default: 'set,get,incr,mset' },
      pipelines: { type: 'string', default: '1,16,64' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '2' },
      requests: { type: 'string' },
      clients: { type: 'string', default: '50' },
      keyspace: { type: 'string', default: '1000000' },
      'data-size': { type: 'string', default: '3' },
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
  return {
    help: values.help,
    tests: list(values.tests, '--tests').map((t) => t.toLowerCase()),
    pipelines: list(values.pipelines, '--pipelines').map((p) => positiveInt(p, '--pipelines')),
    rounds,
    seconds,
    requests: values.requests === undefined ? null : positiveInt(values.requests, '--requests'),
    clients: positiveInt(values.clients, '--clients'),
    keyspace: positiveInt(values.keyspace, '--keyspace'),
    dataSize: positiveInt(values['data-size'], '--data-size'),
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}

/** @typedef {ReturnType<typeof parseCompareOptions>} CompareOptions */
