// Command-line flags of bench/collectionsGc.mjs, and the write load it serves per case.
import { parseArgs } from 'node:util';
import { CASES } from './collectionsDataset.mjs';
import { parseScale } from './collectionsMemoryOptions.mjs';
import { positiveInt } from './compareOptions.mjs';
import { splitCommandLine } from './servers.mjs';

/**
 * The redis-benchmark custom command that writes into a loaded case. The data set is loaded with
 * 12-digit numbers (redis-benchmark's `__rand_int__` with -r) so these hit loaded keys and members.
 * @param {import('./collectionsDataset.mjs').DatasetCase} c
 * @returns {{ label: string, command: string[], keyspace: number }}
 */
export function serveCommandFor(c) {
  const keyspace = c.perKey === null ? c.elements : c.keys;
  /** @type {Record<string, string[]>} */
  const commands = {
    hashes: ['HSET', 'h:__rand_int__', 'field0', 'xyz'],
    // A padded __rand_int__ is no canonical integer and would turn the intsets into hashtables.
    sets: ['SADD', 's:__rand_int__', '1'],
    lists: ['LPUSH', 'l:__rand_int__', 'xyz'],
    hash: ['HSET', 'bighash', 'field:__rand_int__', 'xyz'],
    set: ['SADD', 'bigset', 'member:__rand_int__'],
    zset: ['ZADD', 'bigzset', '__rand_int__', 'member:__rand_int__'],
    list: ['LPUSH', 'biglist', 'xyz'],
  };
  const command = /** @type {string[]} */ (commands[c.name]);
  return { label: `${c.id}: ${command.join(' ')}`, command, keyspace };
}

export const COLLECTIONS_GC_HELP = `Usage: node bench/collectionsGc.mjs [options]     (or: pnpm bench:collections-gc -- [options])

Worst garbage-collector pause of nedis (node --trace-gc) while it holds the collection data set
of bench:collections-memory and serves write load over it: loads the selected cases into one
server, then for each case runs redis-benchmark -P 16 -c 50 with a write into that case's keys
(${CASES.map((c) => c.name).join(', ')}) for --seconds.
nedis only: Redis has no GC. Target: worst pause while serving < 5 ms.

  --cases <list>       ids or names, comma separated, or all          (default all)
  --scale <x>          size factor (1 = 1M keys or elements a case)   (default 1)
  --seconds <s>        serving time per case                          (default 5)
  --pipeline <n>       redis-benchmark -P                             (default 16)
  --clients <n>        redis-benchmark -c                             (default 50)
  --target-ms <ms>     the pause target                               (default 5)
  --node-flags <f>     extra node flags for nedis, = form (env NEDIS_NODE_FLAGS)
  --server-cpu <n>     CPU nedis is pinned to; redis-benchmark gets --client-cpu (default 1 / 0)
  --client-cpu <n>
  --no-pin             do not use taskset
  --json               print JSON instead of the tables
  --nedis-cmd <cmd>    command that starts nedis (env NEDIS_SERVER_CMD); --trace-gc goes after
                       its first word when that is a node binary
  --nedis-node <path>  node binary for nedis (env NEDIS_NODE)
  --nedis-args <args>  extra server arguments (= form)
  -h, --help           this text
`;

/** @param {string[]} argv */
export function parseCollectionsGcOptions(argv) {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      cases: { type: 'string', default: 'all' },
      scale: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '5' },
      pipeline: { type: 'string', default: '16' },
      clients: { type: 'string', default: '50' },
      'target-ms': { type: 'string', default: '5' },
      'node-flags': { type: 'string' },
      'server-cpu': { type: 'string', default: '1' },
      'client-cpu': { type: 'string', default: '0' },
      'no-pin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'nedis-cmd': { type: 'string' },
      'nedis-node': { type: 'string' },
      'nedis-args': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new Error(`--seconds must be in (0, 600], got '${values.seconds}'`);
  const targetMs = Number(values['target-ms']);
  if (!Number.isFinite(targetMs) || targetMs <= 0) throw new Error(`--target-ms must be > 0`);
  return {
    help: values.help,
    cases: values.cases,
    scale: parseScale(values.scale),
    seconds,
    pipeline: positiveInt(values.pipeline, '--pipeline'),
    clients: positiveInt(values.clients, '--clients'),
    targetMs,
    nodeFlags: splitCommandLine(values['node-flags'] ?? process.env.NEDIS_NODE_FLAGS ?? ''),
    serverCpu: positiveInt(values['server-cpu'], '--server-cpu', 0),
    clientCpu: positiveInt(values['client-cpu'], '--client-cpu', 0),
    pin: !values['no-pin'],
    json: values.json,
    serverFlags: {
      nedisCmd: values['nedis-cmd'],
      nedisNode: values['nedis-node'],
      nedisArgs: values['nedis-args'],
    },
  };
}
