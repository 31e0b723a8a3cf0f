// Unit tests of the harness's parsers and formatters: node --test bench/test/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBatch, valueFor } from '../lib/keyLoader.mjs';
import { parseProcStat, parseProcStatus } from '../lib/procstat.mjs';
import { parseBenchmarkCsv } from '../lib/redisBenchmark.mjs';
import { parseInfo, parseReply, ReplyError } from '../lib/respReader.mjs';
import { splitCommandLine } from '../lib/servers.mjs';
import { median } from '../lib/stats.mjs';
import { markdownTable } from '../lib/table.mjs';

test('redis-benchmark 7 CSV rows are parsed by header name, preparation rows dropped', () => {
  const csv = [
    '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"',
    '"LPUSH (needed to benchmark LRANGE)","86956.52","0.297","0.080","0.295","0.399","0.439","0.615"',
    '"MSET (10 keys)","105263.16","0.332","0.168","0.311","0.511","0.623","0.807"',
    '',
  ].join('\n');
  assert.deepEqual(parseBenchmarkCsv(csv), [
    {
      test: 'MSET (10 keys)',
      rps: 105263.16,
      avgMs: 0.332,
      minMs: 0.168,
      p50Ms: 0.311,
      p95Ms: 0.511,
      p99Ms: 0.623,
      maxMs: 0.807,
    },
  ]);
});

test('CSV without data rows (server error) yields no rows', () => {
  assert.deepEqual(parseBenchmarkCsv('"test","rps"\n'), []);
});

test('/proc/<pid>/stat utime and stime are found after a command name with spaces and parens', () => {
  const stat = '5134 (redis (x) y) S 1 5131 4711 0 -1 4194560 1954 0 13 0 24 9 0 0 20 0 5 0 41017';
  assert.deepEqual(parseProcStat(stat), { utimeTicks: 24, stimeTicks: 9 });
});

test('/proc/<pid>/status VmRSS and VmHWM are read in bytes', () => {
  assert.deepEqual(parseProcStatus('Name:\tx\nVmHWM:\t   15568 kB\nVmRSS:\t   15000 kB\n'), {
    rssBytes: 15000 * 1024,
    peakRssBytes: 15568 * 1024,
  });
});

test('RESP replies: incomplete input returns null, errors become ReplyError values', () => {
  assert.equal(parseReply(Buffer.from('$5\r\nhel'), 0), null);
  assert.equal(parseReply(Buffer.from('+OK\r'), 0), null);
  const nested = parseReply(Buffer.from('*3\r\n:1\r\n$-1\r\n-ERR no\r\n'), 0);
  assert.ok(nested);
  const [one, nil, err] = /** @type {unknown[]} */ (nested.value);
  assert.equal(one, 1);
  assert.equal(nil, null);
  assert.ok(err instanceof ReplyError && err.message === 'ERR no');
});

test('INFO text becomes a field map, section headers skipped', () => {
  assert.deepEqual(parseInfo('# Memory\r\nused_memory:123\r\nmem_fragmentation_ratio:1.5\r\n'), {
    used_memory: '123',
    mem_fragmentation_ratio: '1.5',
  });
});

test('loader values have exactly the requested size and differ between passes', () => {
  for (const size of [1, 5, 16, 100]) {
    assert.equal(valueFor(4_999_999, 10, size).length, size);
  }
  assert.notEqual(valueFor(7, 1, 16), valueFor(7, 2, 16));
});

test('loader batches: MSET groups pairs, SET sends one command per key, both valid RESP', () => {
  const options = { valueSize: 16, perCommand: 3 };
  const mset = encodeBatch(0, 7, 0, { ...options, useMset: true });
  assert.equal(mset.commands, 3);
  let offset = 0;
  let commands = 0;
  while (offset < mset.payload.length) {
    const parsed = parseReply(mset.payload, offset);
    assert.ok(parsed);
    offset = parsed.next;
    commands++;
  }
  assert.equal(commands, 3);
  const set = encodeBatch(10, 12, 0, { ...options, useMset: false });
  assert.equal(set.commands, 2);
  assert.equal(
    set.payload.toString(),
    `*3\r\n$3\r\nSET\r\n$6\r\nkey:10\r\n$16\r\n${valueFor(10, 0, 16)}\r\n*3\r\n$3\r\nSET\r\n$6\r\nkey:11\r\n$16\r\n${valueFor(11, 0, 16)}\r\n`,
  );
});

test('command lines split on whitespace with quoting', () => {
  assert.deepEqual(splitCommandLine(`node "my dir/main.js" --save '' -x`), [
    'node',
    'my dir/main.js',
    '--save',
    '',
    '-x',
  ]);
});

test('median ignores non-finite values', () => {
  assert.equal(median([3, 1, Number.NaN, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('markdown table right-aligns numeric columns', () => {
  assert.equal(
    markdownTable(
      ['a', 'n'],
      [
        ['x', '1'],
        ['yy', '22'],
      ],
      ['left', 'right'],
    ),
    '| a   |   n |\n|-----|----:|\n| x   |   1 |\n| yy  |  22 |',
  );
});
