// Unit tests of the collection benchmarks' helpers: node --test bench/test/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BIG_KEY_BATCH,
  encodeLoad,
  keyName,
  loadCommandCount,
  numberText,
  selectCases,
} from '../lib/collectionsDataset.mjs';
import { serveCommandFor } from '../lib/collectionsGcOptions.mjs';
import { parseCollectionsMemoryOptions } from '../lib/collectionsMemoryOptions.mjs';
import { growth, renderCollectionsMemoryTable, verdict } from '../lib/collectionsMemoryReport.mjs';
import { parseCollectionsOptions } from '../lib/collectionsOptions.mjs';
import { COLLECTION_TESTS, fillCommands, preparationFor, testRun } from '../lib/collectionTests.mjs';
import { summarize } from '../lib/compareReport.mjs';
import { completedTitles, DEFAULT_SUITE, testOfTitle } from '../lib/defaultSuite.mjs';
import { renderSuiteCheck } from '../lib/defaultSuiteReport.mjs';
import { parseGcTrace, pauseRows, withNodeFlags } from '../lib/gcTrace.mjs';
import { benchmarkArgv } from '../lib/redisBenchmark.mjs';
import { parseReply } from '../lib/respReader.mjs';
import { percentile } from '../lib/stats.mjs';

/** Every command of a RESP payload, as arrays of strings. @param {Buffer} payload */
function commandsIn(payload) {
  const out = [];
  for (let offset = 0; offset < payload.length; ) {
    const parsed = parseReply(payload, offset);
    assert.ok(parsed, 'complete RESP');
    out.push(/** @type {string[]} */ (parsed.value));
    offset = parsed.next;
  }
  return out;
}

test('collections defaults are the issue benchmark: its 13 tests, P 16 then 1, -r 100000', () => {
  const o = parseCollectionsOptions([]);
  assert.deepEqual(o.tests, COLLECTION_TESTS);
  assert.deepEqual(o.pipelines, [16, 1]);
  assert.equal(o.keyspace, 100_000);
  assert.equal(o.measure && o.suite, true);
  assert.equal(parseCollectionsOptions(['--', '--suite-only']).measure, false);
  assert.throws(() => parseCollectionsOptions(['--no-suite', '--suite-only']), /exclude/);
  assert.throws(() => parseCollectionsOptions(['--tests', 'lpush;flushall']), /not a redis-benchmark test/);
  assert.throws(() => parseCollectionsOptions(['--rounds', '0']), /--rounds/);
});

test('LRANGE tests run as custom commands under the benchmark title; others use -t', () => {
  assert.deepEqual(testRun('lrange_300'), {
    test: 'lrange_300',
    command: ['LRANGE', 'mylist', '0', '299'],
    label: 'LRANGE_300 (first 300 elements)',
  });
  assert.deepEqual(testRun('spop'), { test: 'spop' });
  const base = { port: 1, requests: 10, clients: 2, pipeline: 4, keyspace: 5, dataSize: 3, cpu: null, timeoutMs: 1 };
  const custom = benchmarkArgv({ ...base, test: 'lrange_100', command: ['LRANGE', 'mylist', '0', '99'] });
  assert.ok(!custom.includes('-t'));
  assert.deepEqual(custom.slice(-5), ['--csv', 'LRANGE', 'mylist', '0', '99']);
  const builtin = benchmarkArgv({ ...base, test: 'lpush' });
  assert.equal(builtin[builtin.indexOf('-t') + 1], 'lpush');
  assert.equal(builtin.at(-1), '--csv');
});

test('pop tests start from a key holding every element the run can pop', () => {
  const shape = { clients: 50, pipeline: 16 };
  assert.deepEqual(preparationFor('lpop', 1000, shape), { kind: 'list', key: 'mylist', count: 1800 });
  assert.deepEqual(preparationFor('spop', 1000, shape), { kind: 'set', key: 'myset', count: 1800 });
  assert.deepEqual(preparationFor('zpopmin', 10, { clients: 1, pipeline: 1 }), {
    kind: 'zset',
    key: 'myzset',
    count: 11,
  });
  assert.deepEqual(preparationFor('hset', 1000, shape), { kind: 'delete', key: 'myhash' });
  assert.equal(preparationFor('lrange_600', 5, shape).count, 1000);
  assert.equal(preparationFor('mset', 5, shape).kind, 'none');
});

test('fill commands: batches of distinct members, scores for sorted sets', () => {
  const set = fillCommands({ kind: 'set', key: 'myset', count: 5 }, 3, 2).map((c) => commandsIn(Buffer.from(c))[0]);
  assert.deepEqual(set, [
    ['SADD', 'myset', 'element:0', 'element:1'],
    ['SADD', 'myset', 'element:2', 'element:3'],
    ['SADD', 'myset', 'element:4'],
  ]);
  const zset = fillCommands({ kind: 'zset', key: 'z', count: 2 }, 3, 10).map((c) => commandsIn(Buffer.from(c))[0]);
  assert.deepEqual(zset, [['ZADD', 'z', '0', 'element:0', '1', 'element:1']]);
  const list = fillCommands({ kind: 'list', key: 'l', count: 2 }, 4, 10).map((c) => commandsIn(Buffer.from(c))[0]);
  assert.deepEqual(list, [['RPUSH', 'l', 'xxxx', 'xxxx']]);
  assert.deepEqual(fillCommands({ kind: 'delete', key: 'l' }, 4, 10), []);
});

test('redis-benchmark -q lines: completed titles, \\r progress ignored, titles map to -t names', () => {
  const out =
    'PING_INLINE: rps=0.0 (overall: nan) avg_msec=nan\rPING_INLINE: 99009.90 requests per second, p50=0.255 msec\n' +
    'LPUSH (needed to benchmark LRANGE): 80000.00 requests per second, p50=0.3 msec\n' +
    'LRANGE_100 (first 100 elements): 50000.00 requests per second, p50=0.5 msec\n';
  const titles = completedTitles(out);
  assert.deepEqual(titles, ['PING_INLINE', 'LPUSH (needed to benchmark LRANGE)', 'LRANGE_100 (first 100 elements)']);
  assert.deepEqual(titles.map(testOfTitle), ['ping_inline', null, 'lrange_100']);
  assert.equal(testOfTitle('MSET (10 keys)'), 'mset');
  assert.equal(DEFAULT_SUITE.length, 19);
});

test('default-list report: pass/fail per test and where the whole run stopped', () => {
  const ok = { ok: true, error: null, completed: [], wallMs: 1 };
  const bad = { ok: false, error: "Error from server: ERR unknown command 'LPUSH'", completed: [], wallMs: 1 };
  const text = renderSuiteCheck(
    {
      nedis: { perTest: { set: ok, lpush: bad }, whole: { ...bad, failedAt: 'lpush' } },
      redis: { perTest: { set: ok, lpush: ok }, whole: { ...ok, failedAt: null } },
    },
    100,
  );
  assert.match(text, /\| lpush +\| FAIL: Error from server: ERR unknown command 'LPUSH' +\| pass +\|/);
  assert.match(text, /FAIL at lpush/);
  assert.match(text, /nedis 1\/2, redis 2\/2/);
});

test('a custom-command run is summarized under its label with its whole CPU time', () => {
  const run = {
    ok: /** @type {const} */ (true),
    requests: 1000,
    rows: [
      { test: 'LRANGE_100 (first 100 elements)', rps: 500, avgMs: 1, minMs: 1, p50Ms: 1, p95Ms: 1, p99Ms: 2, maxMs: 3 },
    ],
    wallMs: 2000,
    serverCpuMicros: 1_000_000,
    benchmarkSeconds: 2,
    round: 1,
  };
  const [row] = summarize([
    {
      test: 'lrange_100',
      pipeline: 1,
      servers: {
        nedis: { requests: 1000, error: null, runs: [run] },
        redis: { requests: 1000, error: null, runs: [{ ...run, serverCpuMicros: 2_000_000 }] },
      },
    },
  ]);
  assert.ok(row);
  assert.equal(row.test, 'LRANGE_100 (first 100 elements)');
  assert.equal(row.nedis.cpuUsPerOp, 1000);
  assert.equal(row.opsPerCpuSecondRatio, 2);
});

test('cases select by id or name, in order, sized by --scale', () => {
  const cases = selectCases('zset,a', 0.001);
  assert.deepEqual(
    cases.map((c) => [c.id, c.keys, c.elements, c.target]),
    [
      ['a', 1000, 10_000, 1.0],
      ['f', 1, 1000, 0.8],
    ],
  );
  assert.equal(selectCases('all', 1).length, 7);
  assert.throws(() => selectCases('q', 1), /unknown case/);
  assert.throws(() => parseCollectionsMemoryOptions(['--scale', '0']), /--scale/);
  assert.equal(parseCollectionsMemoryOptions(['--scale', '0.1']).scale, 0.1);
});

test('load commands: one per small key, BIG_KEY_BATCH elements per big-key command', () => {
  const [hashes, , lists, , , zset] = selectCases('all', 0.000003);
  assert.ok(hashes && lists && zset);
  assert.deepEqual(commandsIn(encodeLoad(hashes, 1, 2, false))[0]?.slice(0, 4), ['HSET', 'h:1', 'field0', 'v:1:0']);
  assert.equal(commandsIn(encodeLoad(hashes, 0, 3, false)).length, 3);
  assert.deepEqual(commandsIn(encodeLoad(lists, 2, 3, true))[0]?.slice(0, 3), [
    'RPUSH',
    'l:000000000002',
    'it0:000000000002',
  ]);
  const big = { ...zset, elements: 2500 };
  assert.equal(loadCommandCount(big), 3);
  const last = commandsIn(encodeLoad(big, 2, 3, false))[0] ?? [];
  assert.equal(last.length, 2 + 2 * (2500 - 2 * BIG_KEY_BATCH));
  assert.deepEqual(last.slice(0, 4), ['ZADD', 'bigzset', '1000', 'member:2000']);
  assert.equal(keyName(zset, 5, true), 'bigzset');
  assert.equal(numberText(42, true), '000000000042');
});

test('serving commands hit loaded keys: -r is the key count or the big key size', () => {
  const [hashes, sets, , , , zset] = selectCases('all', 0.01);
  assert.ok(hashes && sets && zset);
  assert.deepEqual(serveCommandFor(hashes), {
    label: 'a: HSET h:__rand_int__ field0 xyz',
    command: ['HSET', 'h:__rand_int__', 'field0', 'xyz'],
    keyspace: 10_000,
  });
  assert.equal(serveCommandFor(sets).command.at(-1), '1');
  assert.equal(serveCommandFor(zset).keyspace, 10_000);
});

test('memory growth per element and key, ratios against the target', () => {
  const snap = (/** @type {number} */ rss, /** @type {number} */ used) => ({
    rssBytes: rss,
    peakRssBytes: rss,
    usedMemory: used,
    usedMemoryRss: rss,
    fragmentationRatio: 1,
    dbsize: 0,
  });
  const [c] = selectCases('a', 0.001);
  assert.ok(c);
  const nedis = {
    server: /** @type {const} */ ('nedis'),
    caseId: 'a',
    empty: snap(1_000_000, 500_000),
    loaded: snap(1_900_000, 1_300_000),
    loadSeconds: 1,
    encoding: 'listpack',
  };
  const redis = { ...nedis, server: /** @type {const} */ ('redis'), loaded: snap(2_000_000, 1_500_000) };
  const gn = growth(nedis, c);
  assert.deepEqual(gn, { rssPerElement: 90, usedPerElement: 80, rssPerKey: 900, usedPerKey: 800 });
  const v = verdict(gn, growth(redis, c), c.target);
  assert.equal(v.rssRatio, 0.9);
  assert.equal(v.usedRatio, 0.8);
  assert.equal(v.meets, true);
  assert.equal(verdict(gn, undefined, 1).meets, null);
  const table = renderCollectionsMemoryTable([c], [nedis, redis]);
  assert.match(table, /a: 1,000 hashes of 10 small fields \| +10,000 \| listpack \/ listpack/);
  assert.match(table, /0\.90× .* 0\.80× \| +≤ 1\.0× \| yes/);
});

test('--trace-gc lines: pause per collector (node 20 and 22 formats), p50/p99/max', () => {
  const trace = [
    '[29432:0x393c5490]       44 ms: Scavenge 3.8 (4.0) -> 3.4 (5.0) MB, 3.34 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
    '[1:0x1]   120 ms: Scavenge (interleaved) 4.5 (5.0) -> 4.1 (6.0) MB, pooled: 0 MB, 1.25 / 0.00 ms  (average mu = 1.000) task;',
    '[1:0x1]   900 ms: Mark-Compact (reduce) 10.1 (12.0) -> 9.0 (11.0) MB, 4.50 / 0.10 ms  (+ 5.0 ms in 20 steps since start of marking, biggest step 1.0 ms) finalize incremental marking via task;',
    '1:M 07 Dec 2026 15:00:00.000 * Ready to accept connections',
  ].join('\n');
  const pauses = parseGcTrace(trace);
  assert.deepEqual(pauses, [
    { kind: 'Scavenge', ms: 3.34 },
    { kind: 'Scavenge', ms: 1.25 },
    { kind: 'Mark-Compact', ms: 4.5 },
  ]);
  assert.deepEqual(pauseRows('serve', pauses), [
    { phase: 'serve', kind: 'Scavenge', count: 2, p50: 3.34, p99: 3.34, max: 3.34 },
    { phase: 'serve', kind: 'Mark-Compact', count: 1, p50: 4.5, p99: 4.5, max: 4.5 },
  ]);
  assert.equal(percentile([1, 2, 3, 4], 50), 3);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('--trace-gc goes right after a node binary, never into another command', () => {
  assert.deepEqual(withNodeFlags(['/usr/bin/node', 'main.js'], ['--trace-gc']), {
    command: ['/usr/bin/node', '--trace-gc', 'main.js'],
    traced: true,
  });
  assert.equal(withNodeFlags(['/opt/node24/bin/node24', 'x.js'], ['--trace-gc']).traced, true);
  assert.deepEqual(withNodeFlags(['redis-server'], ['--trace-gc']), { command: ['redis-server'], traced: false });
  assert.equal(withNodeFlags(['/home/node/bin/redis-server'], ['--trace-gc']).traced, false);
});
