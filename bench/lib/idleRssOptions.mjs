// Command-line flags of bench/idleRss.mjs.
import { parseArgs } from 'node:util';
import { parseServerList, SERVER_OPTIONS, serverFlagsOf } from './serverOptions.mjs';

export const IDLE_RSS_HELP = `Usage: node bench/idleRss.mjs [options]     (or: pnpm bench:idle-rss -- [options])

Starts nedis and redis-server side by side with no data, waits, and prints each one's resident
memory (VmRSS, split into anonymous and file-backed pages, from /proc/<pid>/status) with the
nedis/Redis ratio, then what nedis's memory is made of (MEMORY MALLOC-STATS: V8 heap by space,
memory outside the heap, the Lua engines). Two readings: soon after start, and once V8's memory
reducer (which runs ~8 s after the last full collection of an idle heap) has had its turn.

  --wait-ms <n>        first reading this long after the server answers PING  (default 3000)
  --settle-ms <n>      second reading this long after the first; 0 skips it    (default 12000)
  --servers <list>     which servers                                           (default nedis,redis)
  --json               print JSON instead of the tables
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis; use the = form: --nedis-args="--maxclients 100"
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form, like --nedis-args)
  -h, --help           this text
`;

/** @param {string} value @param {string} flag */
function milliseconds(value, flag) {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0 || n > 600_000)
    throw new Error(`${flag} must be an integer from 0 to 600000, got '${value}'`);
  return n;
}

/**
 * @typedef {{ help: boolean, waitMs: number, settleMs: number, servers: ('nedis' | 'redis')[], json: boolean,
 *   serverFlags: { nedisCmd?: string, nedisNode?: string, nedisArgs?: string, redisCmd?: string, redisArgs?: string } }} IdleRssOptions
 */

/** @param {string[]} argv @returns {IdleRssOptions} */
export function parseIdleRssOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      'wait-ms': { type: 'string', default: '3000' },
      'settle-ms': { type: 'string', default: '12000' },
      servers: { type: 'string', default: 'nedis,redis' },
      json: { type: 'boolean', default: false },
      ...SERVER_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const servers = parseServerList(values.servers);
  return {
    help: values.help,
    waitMs: milliseconds(values['wait-ms'], '--wait-ms'),
    settleMs: milliseconds(values['settle-ms'], '--settle-ms'),
    servers,
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}
