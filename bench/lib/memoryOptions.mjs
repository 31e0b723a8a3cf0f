// Command-line flags of bench/memory.mjs.
import { parseArgs } from 'node:util';
import { parseServerList, SERVER_OPTIONS, serverFlagsOf } from './serverOptions.mjs';

export const MEMORY_HELP = `Usage: node bench/memory.mjs [options]     (or: pnpm bench:memory -- [options])

Loads N keys (key:<i> → fixed-size values) into nedis and into redis-server, one server at a
time, and prints RSS and used_memory per key side by side.

  --keys <n>           number of keys                                   (default 1000000)
  --value-size <n>     value size in bytes                              (default 16)
  --churn              then overwrite every key --churn-passes times and measure again
  --churn-passes <n>   overwrite passes for --churn                     (default 10)
  --servers <list>     which servers, in order                          (default nedis,redis)
  --loader <kind>      auto | mset | set (auto: MSET if the server accepts it)  (default auto)
  --batch <n>          keys per pipelined batch (two batches in flight) (default 20000)
  --mset-size <n>      key/value pairs per MSET command                 (default 1000)
  --settle-ms <n>      pause before reading memory                      (default 1000)
  --json               print JSON instead of the table
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis; use the = form: --nedis-args="--maxmemory 4gb"
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form, like --nedis-args)
  -h, --help           this text
`;

/** @param {string} value @param {string} flag @param {number} [min] */
function positiveInt(value, flag, min = 1) {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/** @param {string[]} argv */
export function parseMemoryOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      keys: { type: 'string', default: '1000000' },
      'value-size': { type: 'string', default: '16' },
      churn: { type: 'boolean', default: false },
      'churn-passes': { type: 'string', default: '10' },
      servers: { type: 'string', default: 'nedis,redis' },
      loader: { type: 'string', default: 'auto' },
      batch: { type: 'string', default: '20000' },
      'mset-size': { type: 'string', default: '1000' },
      'settle-ms': { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      ...SERVER_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const servers = parseServerList(values.servers);
  if (!['auto', 'mset', 'set'].includes(values.loader)) throw new Error(`--loader must be auto, mset or set`);
  const keys = positiveInt(values.keys, '--keys');
  if (keys > 100_000_000) throw new Error('--keys must be ≤ 100000000');
  const churnPasses = positiveInt(values['churn-passes'], '--churn-passes');
  if (churnPasses > 100) throw new Error('--churn-passes must be ≤ 100');
  return {
    help: values.help,
    keys,
    valueSize: positiveInt(values['value-size'], '--value-size'),
    churn: values.churn,
    churnPasses,
    servers,
    loader: /** @type {'auto' | 'mset' | 'set'} */ (values.loader),
    batchKeys: positiveInt(values.batch, '--batch'),
    perCommand: positiveInt(values['mset-size'], '--mset-size'),
    settleMs: positiveInt(values['settle-ms'], '--settle-ms', 0),
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}

/** @typedef {ReturnType<typeof parseMemoryOptions>} MemoryOptions */
