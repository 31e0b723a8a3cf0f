// Command-line flags of bench/collectionsMemory.mjs.
import { parseArgs } from 'node:util';
import { CASES } from './collectionsDataset.mjs';
import { positiveInt } from './compareOptions.mjs';
import { parseServerList, SERVER_OPTIONS, serverFlagsOf } from './serverOptions.mjs';

export const COLLECTIONS_MEMORY_HELP = `Usage: node bench/collectionsMemory.mjs [options]     (or: pnpm bench:collections-memory -- [options])

For every case and server (nedis, then Redis): a fresh server, its empty memory, the case loaded
with pipelined raw RESP, its memory again; prints RSS and used_memory growth per element, and
the nedis/Redis ratio against the case's target.

Cases (1M = 1,000,000 × --scale):
${CASES.map((c) => `  ${c.id}  ${c.name.padEnd(7)} ${c.perKey === null ? `${c.title} of 1M elements` : `1M ${c.title}`}  (target ≤ ${c.target.toFixed(1)}×)`).join('\n')}

  --cases <list>       ids or names, comma separated, or all          (default all)
  --scale <x>          size factor, e.g. 0.1 for a quick run          (default 1)
  --servers <list>     which servers, in order                        (default nedis,redis)
  --settle-ms <n>      pause before each memory reading               (default 1000)
  --json               print JSON instead of the table
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD)
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra arguments for nedis (= form: --nedis-args="--maxmemory 4gb")
  --redis-cmd <cmd>    command that starts Redis (env REDIS_SERVER_BIN; default redis-server)
  --redis-args <args>  extra arguments for redis-server (= form)
  -h, --help           this text
`;

/**
 * @param {string} value
 * @param {string} flag
 */
export function parseScale(value, flag = '--scale') {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10)
    throw new Error(`${flag} must be in (0, 10], got '${value}'`);
  return scale;
}

/** @param {string[]} argv */
export function parseCollectionsMemoryOptions(argv) {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      cases: { type: 'string', default: 'all' },
      scale: { type: 'string', default: '1' },
      servers: { type: 'string', default: 'nedis,redis' },
      'settle-ms': { type: 'string', default: '1000' },
      json: { type: 'boolean', default: false },
      ...SERVER_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    cases: values.cases,
    scale: parseScale(values.scale),
    servers: parseServerList(values.servers),
    settleMs: positiveInt(values['settle-ms'], '--settle-ms', 0),
    json: values.json,
    serverFlags: serverFlagsOf(values),
  };
}
