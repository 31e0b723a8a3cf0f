// Unit tests of bench/idleRss.mjs's option parsing, parsers and tables: node --test bench/test/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIdleRssOptions } from '../lib/idleRssOptions.mjs';
import { parseProcMemory, parseRuntimeBreakdown, renderBreakdownTable, renderRssTable } from '../lib/idleRssReport.mjs';

const STATUS =
  'Name:\tnode\nVmRSS:\t   65552 kB\nRssAnon:\t   23220 kB\nRssFile:\t   42332 kB\nRssShmem:\t       0 kB\nThreads:\t11\n';

const MALLOC_STATS = [
  '___ Begin kv-pool statistics ___',
  'budget: 0',
  '--- End kv-pool statistics ---',
  '___ Begin V8 and process statistics ___',
  'rss: 67125248, rss anon: 23777280, rss file: 43347968, threads: 11',
  'heap physical: 17825792, heap used: 13421772, heap committed: 19660800',
  'external: 3460300, array buffers: 1258291, malloced by V8: 524288',
  'heap spaces (physical / used):',
  '  new_space: 6606028 / 2202009',
  '  old_space: 8912896 / 8703180',
  'lua eval engine: not created, lua functions engine: 37888 bytes',
  '--- End V8 and process statistics ---',
  '',
].join('\n');

test('idle-rss options: defaults, values, errors', () => {
  const d = parseIdleRssOptions([]);
  assert.equal(d.waitMs, 3000);
  assert.equal(d.settleMs, 12000);
  assert.deepEqual(d.servers, ['nedis', 'redis']);
  const o = parseIdleRssOptions(['--', '--wait-ms', '1_000', '--settle-ms', '0', '--servers', 'redis', '--json']);
  assert.equal(o.waitMs, 1000);
  assert.equal(o.settleMs, 0);
  assert.deepEqual(o.servers, ['redis']);
  assert.equal(o.json, true);
  assert.throws(() => parseIdleRssOptions(['--wait-ms', '-1']), /--wait-ms/);
  assert.throws(() => parseIdleRssOptions(['--servers', 'memcached']), /unknown server/);
  assert.throws(() => parseIdleRssOptions(['--bogus']));
});

test('idle-rss parsers: /proc status and the V8 part of MALLOC-STATS', () => {
  assert.deepEqual(parseProcMemory(STATUS), { rss: 65552 * 1024, anon: 23220 * 1024, file: 42332 * 1024, threads: 11 });
  assert.ok(Number.isNaN(parseProcMemory('Name: x\n').rss));
  const b = parseRuntimeBreakdown(MALLOC_STATS);
  assert.ok(b !== null);
  assert.equal(b.heapPhysical, 17825792);
  assert.equal(b.external, 3460300);
  assert.equal(b.arrayBuffers, 1258291);
  assert.equal(b.mallocedByV8, 524288);
  assert.deepEqual(b.spaces, [
    { name: 'new_space', physical: 6606028, used: 2202009 },
    { name: 'old_space', physical: 8912896, used: 8703180 },
  ]);
  assert.equal(b.luaEval, 'not created');
  assert.equal(b.luaFunctions, '37888 bytes');
  assert.equal(parseRuntimeBreakdown('jemalloc stats…'), null);
});

test('idle-rss tables: ratios per reading and the breakdown rows', () => {
  const proc = parseProcMemory(STATUS);
  const breakdown = parseRuntimeBreakdown(MALLOC_STATS);
  const redisProc = { rss: 12 * 1048576, anon: 3 * 1048576, file: 9 * 1048576, threads: 5 };
  /** @type {import('../lib/idleRssReport.mjs').IdleResult[]} */
  const results = [
    { name: 'nedis', commandLine: 'node main.js', readings: [{ atMs: 3000, proc, usedMemory: 4096, breakdown }] },
    {
      name: 'redis',
      commandLine: 'redis-server',
      readings: [{ atMs: 3000, proc: redisProc, usedMemory: 900000, breakdown: null }],
    },
  ];
  const rss = renderRssTable(results);
  assert.match(rss, /\| 3\.0 s/);
  assert.match(rss, /5\.33×/);
  assert.match(rss, /7\.56×/);
  const nedis = /** @type {import('../lib/idleRssReport.mjs').IdleResult} */ (results[0]);
  const table = renderBreakdownTable(nedis);
  assert.match(table, /new_space/);
  assert.match(table, /not created \/ 37888 bytes/);
  assert.match(table, /4,096/);
  assert.equal(renderBreakdownTable({ ...nedis, readings: [] }), '');
});
