// The collection tests of bench:collections: what each redis-benchmark test runs and the state
// the server is put in before every run of it, so that both servers start each run alike.
import { encodeCommand, RespClient } from './respClient.mjs';

/** The benchmark: `redis-benchmark -P 16 -r 100000 -t <these>`. */
export const COLLECTION_TESTS = [
  'lpush',
  'rpush',
  'lpop',
  'rpop',
  'sadd',
  'hset',
  'spop',
  'zadd',
  'zpopmin',
  'lrange_100',
  'lrange_300',
  'lrange_600',
  'mset',
];

/** Elements pushed before an LRANGE test: more than its longest range (600). */
export const LRANGE_LIST_LENGTH = 1_000;

/**
 * @typedef {{ kind: 'delete' | 'list' | 'set' | 'zset' | 'none', key?: string, count?: number }} Preparation
 * @typedef {{ test: string, command?: string[], label?: string }} TestRun
 */

/**
 * How one test is run. The LRANGE tests run as custom commands against a list the harness filled
 * beforehand: `-t lrange_100` would first run redis-benchmark's own "LPUSH (needed to benchmark
 * LRANGE)" phase of -n pushes, whose CPU time could not be told apart from LRANGE's.
 * @param {string} test redis-benchmark test name, lower case
 * @returns {TestRun}
 */
export function testRun(test) {
  const lrange = /^lrange_(\d+)$/.exec(test);
  if (lrange) {
    const count = Number(lrange[1]);
    return {
      test,
      command: ['LRANGE', 'mylist', '0', String(count - 1)],
      label: `LRANGE_${count} (first ${count} elements)`,
    };
  }
  return { test };
}

/**
 * The state a run of `test` starts from. Push and add tests start from a missing key; pop tests
 * from a key holding at least as many elements as the run can pop (`requests` plus one pipeline
 * per client, redis-benchmark's overshoot), so no pop ever hits an empty key — otherwise the
 * server that is given more requests (the faster one) would answer more cheap nil replies.
 * @param {string} test
 * @param {number} requests -n of the run
 * @param {{ clients: number, pipeline: number }} shape
 * @returns {Preparation}
 */
export function preparationFor(test, requests, shape) {
  const popCount = requests + shape.clients * shape.pipeline;
  switch (test) {
    case 'lpush':
    case 'rpush':
      return { kind: 'delete', key: 'mylist' };
    case 'lpop':
    case 'rpop':
      return { kind: 'list', key: 'mylist', count: popCount };
    case 'sadd':
      return { kind: 'delete', key: 'myset' };
    case 'spop':
      return { kind: 'set', key: 'myset', count: popCount };
    case 'hset':
      return { kind: 'delete', key: 'myhash' };
    case 'zadd':
      return { kind: 'delete', key: 'myzset' };
    case 'zpopmin':
      return { kind: 'zset', key: 'myzset', count: popCount };
    default:
      if (/^lrange_\d+$/.test(test)) return { kind: 'list', key: 'mylist', count: LRANGE_LIST_LENGTH };
      return { kind: 'none' };
  }
}

/**
 * RESP commands that fill `preparation.key` with `count` elements, `perCommand` per command
 * (list items of `dataSize` bytes; set members and sorted-set members `element:<i>`, score i).
 * @param {Preparation} preparation
 * @param {number} dataSize
 * @param {number} perCommand
 * @returns {string[]}
 */
export function fillCommands(preparation, dataSize, perCommand) {
  const { kind, key, count = 0 } = preparation;
  if (key === undefined || kind === 'none' || kind === 'delete') return [];
  const item = 'x'.repeat(dataSize);
  /** @type {string[]} */
  const commands = [];
  for (let start = 0; start < count; start += perCommand) {
    const end = Math.min(count, start + perCommand);
    /** @type {(string | number)[]} */
    const args = kind === 'list' ? ['RPUSH', key] : kind === 'set' ? ['SADD', key] : ['ZADD', key];
    for (let i = start; i < end; i++) {
      if (kind === 'list') args.push(item);
      else if (kind === 'set') args.push(`element:${i}`);
      else args.push(i, `element:${i}`);
    }
    commands.push(encodeCommand(args));
  }
  return commands;
}

/**
 * Puts the server on `port` in the starting state of a run (DEL, then fill), over one pipelined
 * connection; any error reply throws.
 * @param {number} port
 * @param {Preparation} preparation
 * @param {number} dataSize
 */
export async function prepareServer(port, preparation, dataSize) {
  if (preparation.kind === 'none' || preparation.key === undefined) return;
  const client = await RespClient.connect(port, { timeoutMs: 120_000 });
  try {
    const deleted = await client.call('DEL', preparation.key);
    if (typeof deleted !== 'number') throw new Error(`DEL ${preparation.key}: ${JSON.stringify(deleted)}`);
    const commands = fillCommands(preparation, dataSize, 1_000);
    // 50 commands (50,000 elements) per write, two writes in flight.
    /** @type {Promise<{ errors: number, firstError: string | null }>[]} */
    const inFlight = [];
    const settle = async () => {
      const result = await /** @type {Promise<{ errors: number, firstError: string | null }>} */ (inFlight.shift());
      if (result.errors > 0) throw new Error(`filling ${preparation.key}: ${result.firstError}`);
    };
    for (let i = 0; i < commands.length; i += 50) {
      const chunk = commands.slice(i, i + 50);
      const reply = client.send(Buffer.from(chunk.join(''), 'latin1'), chunk.length);
      reply.catch(() => undefined); // rethrown by settle()
      inFlight.push(reply);
      if (inFlight.length >= 2) await settle();
    }
    while (inFlight.length > 0) await settle();
  } finally {
    client.close();
  }
}
