// Command-line flags of bench/collections.mjs.
import { parseArgs } from 'node:util';
import { COLLECTION_TESTS } from './collectionTests.mjs';
import { list, positiveInt } from './compareOptions.mjs';
import { SERVER_OPTIONS, serverFlagsOf } from './serverOptions.mjs';

export const COLLECTIONS_HELP = `Usage: node bench/collections.mjs [options]     (or: pnpm bench:collections -- [options])

The collection benchmark: redis-benchmark -t ${COLLECTION_TESTS.join(',')}
against nedis and redis-server, one server at a time, alternating round by round; ops per server
CPU second and the nedis/Redis ratio per test. Then checks that redis-benchmark -q with its
default test list (no -t) completes every test against each server.

  --tests <list>         redis-benchmark -t tests (default: the list above)
  --pipelines <list>     pipeline depths (-P), comma separated        (default 16,1)
  --rounds <n>           rounds per server; medians are reported      (default 3)
  --seconds <s>          target duration of each run; -n is calibrated (default 2)
  --requests <n>         fixed -n for every run instead of calibrating
  --clients <n>          parallel connections (-c)                    (default 50)
  --keyspace <n>         random key/member space (-r)                 (default 100000)
  --data-size <n>        value size in bytes (-d)                     (default 3)
  --suite-requests <n>   -n of each run of the default-list check     (default 10000)
  --no-suite             skip the default-list check
  --suite-only           only the default-list check, no measurements
  --server-cpu <n>       CPU both servers are pinned to               (default 1)
  --client-cpu <n>       CPU redis-benchmark is pinned to             (default 0)
  --no-pin               do not use taskset
  --json                 print JSON (machine, settings, every run, medians, check) instead of tables
  --nedis-cmd <cmd>      command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>    node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>    extra arguments for nedis; use the = form: --nedis-args="--maxmemory 1gb"
  --redis-cmd <cmd>      command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>    extra arguments for redis-server (= form)
  -h, --help             this text
`;

/** @param {string[]} argv */
export function parseCollectionsOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      tests: { type: 'string', default: COLLECTION_TESTS.join(',') },
      pipelines: { type: 'string', default: '16,1' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '2' },
      requests: { type: 'string' },
      clients: { type: 'string', default: '50' },
      keyspace: { type: 'string', default: '100000' },
      'data-size': { type: 'string', default: '3' },
      'suite-requests': { type: 'string', default: '10000' },
      'no-suite': { type: 'boolean', default: false },
      'suite-only': { type: 'boolean', default: false },
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
  if (values['no-suite'] && values['suite-only']) throw new Error('--no-suite and --suite-only exclude each other');
  const tests = list(values.tests, '--tests').map((t) => t.toLowerCase());
  for (const test of tests) {
    if (!/^[a-z_0-9]+$/.test(test)) throw new Error(`--tests: '${test}' is not a redis-benchmark test name`);
  }
  return {
    help: values.help,
    tests,
    pipelines: list(values.pipelines, '--pipelines').map((p) => positiveInt(p, '--pipelines')),
    rounds,
    seconds,
    requests: values.requests === undefined ? null : positiveInt(values.requests, '--requests'),
    clients: positiveInt(values.clients, '--clients'),
    keyspace: positiveInt(values.keyspace, '--keyspace'),
    dataSize: positiveInt(values['data-size'], '--data-size'),
    suiteRequests: positiveInt(values['suite-requests'], '--suite-requests'),
    measure: !values['suite-only'],
    suite: !values['no-suite'],
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}

/** @typedef {ReturnType<typeof parseCollectionsOptions>} CollectionsOptions */
