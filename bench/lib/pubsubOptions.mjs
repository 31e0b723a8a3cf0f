// Command-line flags of bench/pubsub.mjs and bench/notifyLag.mjs (the shared parts live here too).
import { parseArgs } from 'node:util';

export const PUBSUB_HELP = `Usage: node bench/pubsub.mjs [options]     (or: pnpm bench:pubsub -- [options])

One publisher pipelining PUBLISH to one channel with 1, 100 and 1,000 subscribers, against nedis
and redis-server, one server loaded at a time, alternating round by round. Prints delivered
messages/s and server CPU per delivered message (medians), and the nedis/Redis ratio of delivered
messages per server CPU-second.

  --subscribers <list>  subscriber counts, comma separated            (default 1,100,1000)
  --sizes <list>        message payload sizes in bytes                (default 16,1024)
  --rounds <n>          rounds per server; medians are reported       (default 3)
  --seconds <s>         publishing time of each run                   (default 3)
  --batch <n>           PUBLISH commands per pipelined write          (default 64)
  --window <n>          batches in flight before waiting for replies  (default 16)
  --max-lag-mb <n>      bound on undelivered bytes per subscriber; the publisher pauses
                        beyond it (Redis's pubsub hard output limit is 32 MB)  (default 8)
  --max-lag-total-mb <n> the same bound over all subscribers together (default 256)
  --drain-seconds <s>   how long to wait for subscribers to receive everything published (default 10)
  --counter <kind>      how subscribers count: fixed (bytes ÷ frame size, every frame start
                        checked) or resp (every frame header parsed)  (default fixed)
  --server-cpu <n>      CPU both servers are pinned to                (default 1)
  --client-cpu <n>      CPU the publisher and subscriber processes are pinned to (default 0)
  --no-pin              do not use taskset
  --json                print JSON (machine + settings + every run + medians) instead of the table
${serverFlagsHelp()}`;

/** Help lines for the server-choice flags, shared by both scripts. */
export function serverFlagsHelp() {
  return `  --nedis-cmd <cmd>     command that starts nedis, before the port/bind/save args
                        (env NEDIS_SERVER_CMD; default: $NEDIS_NODE or this node + apps/server/dist/main.js)
  --nedis-node <path>   node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>   extra arguments for nedis; use the = form: --nedis-args="--hz 100"
  --redis-cmd <cmd>     command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>   extra arguments for redis-server (= form, like --nedis-args)
  -h, --help            this text
`;
}

/** Option declarations shared by both scripts. */
export const SHARED_OPTIONS = /** @type {const} */ ({
  rounds: { type: 'string' },
  'server-cpu': { type: 'string', default: '1' },
  'client-cpu': { type: 'string', default: '0' },
  'no-pin': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'nedis-cmd': { type: 'string' },
  'nedis-node': { type: 'string' },
  'nedis-args': { type: 'string' },
  'redis-cmd': { type: 'string' },
  'redis-args': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
});

/**
 * An integer within [min, max]; underscores allowed as digit separators.
 * @param {string} value
 * @param {string} flag
 * @param {number} min
 * @param {number} max
 */
export function intInRange(value, flag, min, max) {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag} must be an integer in [${min}, ${max}], got '${value}'`);
  return n;
}

/**
 * A number within (0, max].
 * @param {string} value
 * @param {string} flag
 * @param {number} max
 */
export function positiveNumber(value, flag, max) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new Error(`${flag} must be a number in (0, ${max}], got '${value}'`);
  return n;
}

/**
 * A comma-separated list of integers within [min, max], duplicates removed, order kept.
 * @param {string} value
 * @param {string} flag
 * @param {number} min
 * @param {number} max
 */
export function intList(value, flag, min, max) {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${flag} needs at least one item`);
  return [...new Set(items.map((s) => intInRange(s, flag, min, max)))];
}

/**
 * The shared flags, validated.
 * @param {{ [key: string]: string | boolean | undefined }} values
 * @param {string} defaultRounds
 */
export function sharedSettings(values, defaultRounds) {
  const str = (/** @type {string} */ key) => /** @type {string | undefined} */ (values[key]);
  return {
    help: values.help === true,
    json: values.json === true,
    rounds: intInRange(str('rounds') ?? defaultRounds, '--rounds', 1, 50),
    serverCpu: intInRange(str('server-cpu') ?? '1', '--server-cpu', 0, 1023),
    clientCpu: intInRange(str('client-cpu') ?? '0', '--client-cpu', 0, 1023),
    pin: values['no-pin'] !== true,
    serverFlags: {
      nedisCmd: str('nedis-cmd'),
      nedisNode: str('nedis-node'),
      nedisArgs: str('nedis-args'),
      redisCmd: str('redis-cmd'),
      redisArgs: str('redis-args'),
    },
  };
}

/** @param {string[]} argv */
export function parsePubsubOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      ...SHARED_OPTIONS,
      subscribers: { type: 'string', default: '1,100,1000' },
      sizes: { type: 'string', default: '16,1024' },
      seconds: { type: 'string', default: '3' },
      batch: { type: 'string', default: '64' },
      window: { type: 'string', default: '16' },
      'max-lag-mb': { type: 'string', default: '8' },
      'max-lag-total-mb': { type: 'string', default: '256' },
      'drain-seconds': { type: 'string', default: '10' },
      counter: { type: 'string', default: 'fixed' },
    },
    strict: true,
    allowPositionals: false,
  });
  const MiB = 1024 * 1024;
  if (values.counter !== 'fixed' && values.counter !== 'resp')
    throw new Error(`--counter must be fixed or resp, got '${values.counter}'`);
  return {
    ...sharedSettings(values, '3'),
    subscribers: intList(values.subscribers, '--subscribers', 1, 10_000),
    sizes: intList(values.sizes, '--sizes', 0, 1024 * 1024),
    seconds: positiveNumber(values.seconds, '--seconds', 120),
    batch: intInRange(values.batch, '--batch', 1, 10_000),
    window: intInRange(values.window, '--window', 1, 1_000),
    maxLagBytesPerSubscriber: positiveNumber(values['max-lag-mb'], '--max-lag-mb', 1024) * MiB,
    maxLagBytesTotal: positiveNumber(values['max-lag-total-mb'], '--max-lag-total-mb', 8192) * MiB,
    drainTimeoutMs: positiveNumber(values['drain-seconds'], '--drain-seconds', 300) * 1000,
    counting: /** @type {'fixed' | 'resp'} */ (values.counter),
  };
}

/** @typedef {ReturnType<typeof parsePubsubOptions>} PubsubOptions */
