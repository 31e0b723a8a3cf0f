// The collection data sets of bench:collections-memory and bench:collections-gc: seven cases,
// many small collections (a–c) and one big collection each (d–g), with the RESP that loads them.
import { encodeCommand } from './respClient.mjs';

/**
 * @typedef {{ id: string, name: string, title: string, type: 'hash' | 'set' | 'zset' | 'list',
 *   perKey: number | null, target: number }} CaseDefinition
 *   perKey: elements per key for the many-keys cases, null for one big key
 * @typedef {CaseDefinition & { keys: number, elements: number }} DatasetCase
 */

/** @type {readonly CaseDefinition[]} */
export const CASES = [
  { id: 'a', name: 'hashes', title: 'hashes of 10 small fields', type: 'hash', perKey: 10, target: 1.0 },
  { id: 'b', name: 'sets', title: 'sets of 10 integers', type: 'set', perKey: 10, target: 1.0 },
  { id: 'c', name: 'lists', title: 'lists of 10 short items', type: 'list', perKey: 10, target: 1.0 },
  { id: 'd', name: 'hash', title: 'one hash', type: 'hash', perKey: null, target: 0.8 },
  { id: 'e', name: 'set', title: 'one set', type: 'set', perKey: null, target: 0.8 },
  { id: 'f', name: 'zset', title: 'one sorted set', type: 'zset', perKey: null, target: 0.8 },
  { id: 'g', name: 'list', title: 'one list', type: 'list', perKey: null, target: 0.8 },
];

/** Full size: 1M keys for a–c, 1M elements for d–g. */
export const FULL_SIZE = 1_000_000;
/** Elements per command when loading one big key. */
export const BIG_KEY_BATCH = 1_000;

/**
 * Cases selected by id or name ("a,b", "hashes,zset", "all"), in CASES order, sized by `scale`.
 * @param {string} selection
 * @param {number} scale
 * @returns {DatasetCase[]}
 */
export function selectCases(selection, scale) {
  const wanted = selection
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (wanted.length === 0) throw new Error('--cases needs at least one case');
  for (const w of wanted) {
    if (w !== 'all' && !CASES.some((c) => c.id === w || c.name === w)) {
      throw new Error(`--cases: unknown case '${w}' (a–g or ${CASES.map((c) => c.name).join(', ')})`);
    }
  }
  const size = Math.max(1, Math.round(FULL_SIZE * scale));
  return CASES.filter((c) => wanted.includes('all') || wanted.includes(c.id) || wanted.includes(c.name)).map((c) => ({
    ...c,
    keys: c.perKey === null ? 1 : size,
    elements: c.perKey === null ? size : size * c.perKey,
  }));
}

/**
 * How numbers appear in key and member names. `padded` writes them the way redis-benchmark's
 * `-r` writes `__rand_int__` (12 digits), so a custom benchmark command hits the loaded keys.
 * @param {number} n
 * @param {boolean} padded
 */
export const numberText = (n, padded) => (padded ? String(n).padStart(12, '0') : String(n));

/** Key prefix of the many-keys cases, the key name of the big ones. @type {Record<CaseDefinition['type'], [string, string]>} */
const KEY_OF = { hash: ['h', 'bighash'], set: ['s', 'bigset'], zset: ['z', 'bigzset'], list: ['l', 'biglist'] };

/**
 * The key holding key index `i` of a case.
 * @param {DatasetCase} c
 * @param {number} i
 * @param {boolean} padded
 */
export function keyName(c, i, padded) {
  const [prefix, big] = KEY_OF[c.type];
  return c.perKey === null ? big : `${prefix}:${numberText(i, padded)}`;
}

/**
 * Arguments adding elements [from, to) of the big key, or the whole of small key `from`.
 * @param {DatasetCase} c
 * @param {number} from
 * @param {number} to
 * @param {boolean} padded
 */
function commandArgs(c, from, to, padded) {
  const key = keyName(c, from, padded);
  /** @type {(string | number)[]} */
  const args = [];
  if (c.perKey !== null) {
    // One small collection: element j of key i.
    const i = from;
    const n = numberText(i, padded);
    if (c.type === 'hash') {
      args.push('HSET', key);
      for (let j = 0; j < c.perKey; j++) args.push(`field${j}`, `v:${n}:${j}`);
    } else if (c.type === 'set') {
      args.push('SADD', key);
      for (let j = 0; j < c.perKey; j++) args.push(i * c.perKey + j);
    } else if (c.type === 'zset') {
      throw new Error('no case of many small sorted sets');
    } else {
      args.push('RPUSH', key);
      for (let j = 0; j < c.perKey; j++) args.push(`it${j}:${n}`);
    }
    return args;
  }
  args.push(c.type === 'hash' ? 'HSET' : c.type === 'set' ? 'SADD' : c.type === 'zset' ? 'ZADD' : 'RPUSH', key);
  for (let k = from; k < to; k++) {
    const n = numberText(k, padded);
    if (c.type === 'hash') args.push(`field:${n}`, `v:${n}`);
    else if (c.type === 'set') args.push(`member:${n}`);
    else if (c.type === 'zset') args.push(k * 0.5, `member:${n}`);
    else args.push(`item:${n}`);
  }
  return args;
}

/**
 * Load commands number `fromCommand` up to `toCommand` (exclusive) of a case: one per key for the
 * many-keys cases, one per BIG_KEY_BATCH elements for a big key.
 * @param {DatasetCase} c
 * @param {number} fromCommand
 * @param {number} toCommand
 * @param {boolean} padded
 */
export function encodeLoad(c, fromCommand, toCommand, padded) {
  /** @type {string[]} */
  const parts = [];
  for (let cmd = fromCommand; cmd < toCommand; cmd++) {
    if (c.perKey !== null) parts.push(encodeCommand(commandArgs(c, cmd, cmd + 1, padded)));
    else {
      const from = cmd * BIG_KEY_BATCH;
      parts.push(encodeCommand(commandArgs(c, from, Math.min(c.elements, from + BIG_KEY_BATCH), padded)));
    }
  }
  return Buffer.from(parts.join(''), 'latin1');
}

/** How many load commands a case takes. @param {DatasetCase} c */
export function loadCommandCount(c) {
  return c.perKey !== null ? c.keys : Math.ceil(c.elements / BIG_KEY_BATCH);
}

/**
 * Loads a case over one connection: batches of commands (about 10,000 elements each), two
 * batches in flight. Any error reply throws.
 * @param {import('./respClient.mjs').RespClient} client
 * @param {DatasetCase} c
 * @param {{ padded?: boolean }} [o]
 * @returns {Promise<{ seconds: number }>}
 */
export async function loadCase(client, c, o = {}) {
  const started = process.hrtime.bigint();
  const total = loadCommandCount(c);
  const perBatch = c.perKey !== null ? 1_000 : 10;
  /** @type {Promise<{ errors: number, firstError: string | null }>[]} */
  const inFlight = [];
  const settle = async () => {
    const result = await /** @type {Promise<{ errors: number, firstError: string | null }>} */ (inFlight.shift());
    if (result.errors > 0)
      throw new Error(`${result.errors} error replies loading ${c.name}, first: ${result.firstError}`);
  };
  for (let from = 0; from < total; from += perBatch) {
    const to = Math.min(total, from + perBatch);
    const reply = client.send(encodeLoad(c, from, to, o.padded ?? false), to - from);
    reply.catch(() => undefined); // rethrown by settle()
    inFlight.push(reply);
    if (inFlight.length >= 2) await settle();
  }
  while (inFlight.length > 0) await settle();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The length command of a type. */
const LENGTH_COMMAND = { hash: 'HLEN', set: 'SCARD', zset: 'ZCARD', list: 'LLEN' };

/**
 * Checks a loaded case (DBSIZE for many keys, the big key's length) and reads the first key's
 * encoding. Throws when the server does not hold what was loaded.
 * @param {import('./respClient.mjs').RespClient} client
 * @param {DatasetCase} c
 * @param {{ padded?: boolean, dbsizeBefore?: number }} [o]
 */
export async function verifyCase(client, c, o = {}) {
  const key = keyName(c, 0, o.padded ?? false);
  const length = await client.call(LENGTH_COMMAND[c.type], key);
  const expectedLength = c.perKey ?? c.elements;
  if (length !== expectedLength)
    throw new Error(`${LENGTH_COMMAND[c.type]} ${key} = ${String(length)}, expected ${expectedLength}`);
  const dbsize = await client.call('DBSIZE');
  const expectedKeys = (o.dbsizeBefore ?? 0) + c.keys;
  if (dbsize !== expectedKeys) throw new Error(`DBSIZE = ${String(dbsize)}, expected ${expectedKeys}`);
  const encoding = await client.call('OBJECT', 'ENCODING', key);
  return { encoding: typeof encoding === 'string' ? encoding : 'unknown' };
}
