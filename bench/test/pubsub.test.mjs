// Unit tests of the pub/sub and notify-lag benches' counters, parsers and reports: node --test bench/test/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  FixedFrameCounter,
  headerInteger,
  IntegerReplySummer,
  messageFrameBytes,
  messageFrameHeader,
  RespFrameCounter,
} from '../lib/pubsubFrameCounter.mjs';
import { encodeSetBatch, expiredEventKey, keyIndex, lagSummary, percentile, ttlOffsets } from '../lib/pubsubLag.mjs';
import { parseNotifyLagOptions } from '../lib/pubsubLagOptions.mjs';
import { medianKeepingInfinity, renderLagTable, summarizeLagServer } from '../lib/pubsubLagReport.mjs';
import { parsePubsubOptions } from '../lib/pubsubOptions.mjs';
import { renderPubsubTable, summarizePubsub } from '../lib/pubsubReport.mjs';
import { maxLagDeliveries } from '../lib/pubsubRun.mjs';
import { parseReply } from '../lib/respReader.mjs';

/** @param {string} channel @param {string} payload */
const message = (channel, payload) =>
  `*3\r\n$7\r\nmessage\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n$${Buffer.byteLength(payload)}\r\n${payload}\r\n`;

/**
 * Splits `data` at the given cut points (any order, any values) into chunks.
 * @param {Buffer} data
 * @param {number[]} cuts
 */
function split(data, cuts) {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks = [];
  let from = 0;
  for (const p of points) {
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

test('RespFrameCounter counts pub/sub frames however the stream is chunked', () => {
  const frames = [
    '*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n',
    message('ch', 'hello'),
    message('ch', ''),
    message('ch', 'x'.repeat(3000)),
    '*4\r\n$8\r\npmessage\r\n$3\r\nc*h\r\n$2\r\nch\r\n$2\r\n\r\n\r\n',
    ':42\r\n',
    '+OK\r\n',
    '*0\r\n',
    '-ERR nope\r\n',
  ];
  const stream = Buffer.from(frames.join(''));
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      const counter = new RespFrameCounter();
      let completed = 0;
      for (const chunk of split(stream, cuts)) completed += counter.feed(chunk);
      assert.equal(counter.frames, frames.length);
      assert.equal(completed, frames.length);
      assert.equal(counter.bytes, stream.length);
      assert.equal(counter.errors, 1);
      assert.equal(counter.firstError, 'ERR nope');
    }),
  );
});

test('RespFrameCounter does not count a frame before its last byte has arrived', () => {
  const frame = Buffer.from(message('ch', 'payload'));
  const counter = new RespFrameCounter();
  assert.equal(counter.feed(frame.subarray(0, frame.length - 1)), 0);
  assert.equal(counter.feed(frame.subarray(frame.length - 1)), 1);
});

test('RespFrameCounter rejects what pub/sub never sends', () => {
  assert.throws(() => new RespFrameCounter().feed(Buffer.from('*1\r\n*1\r\n:1\r\n')), /nested/);
  assert.throws(() => new RespFrameCounter().feed(Buffer.from('$3\r\nabc\r\n')), /top-level bulk/);
  assert.throws(() => new RespFrameCounter().feed(Buffer.from('%1\r\n')), /type byte/);
  assert.throws(() => new RespFrameCounter().feed(Buffer.from('*x\r\n')), /malformed/);
});

test('headerInteger reads signed integers between the type byte and CR', () => {
  const line = Buffer.from('$-1\r\n*1024\r\n');
  assert.equal(headerInteger(line, 0, 3), -1);
  assert.equal(headerInteger(line, 5, 10), 1024);
});

test('messageFrameBytes and messageFrameHeader describe the real message frame', () => {
  for (const [channel, size] of /** @type {[string, number][]} */ ([
    ['c', 0],
    ['bench-pubsub-00001', 16],
    ['ch', 1024],
    ['x'.repeat(120), 99_999],
  ])) {
    const frame = Buffer.from(message(channel, 'p'.repeat(size)));
    assert.equal(messageFrameBytes(channel.length, size), frame.length);
    const header = messageFrameHeader(channel, size);
    assert.ok(frame.subarray(0, header.length).equals(header));
    assert.equal(frame.length - header.length, size + 2);
  }
});

test('FixedFrameCounter counts fixed-size frames across any chunking', () => {
  const channel = 'bench-pubsub-00007';
  for (const size of [0, 16, 1024]) {
    const frame = message(channel, 'x'.repeat(size));
    const stream = Buffer.from(frame.repeat(25));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 60 }), (cuts) => {
        const counter = new FixedFrameCounter(Buffer.byteLength(frame), messageFrameHeader(channel, size));
        let completed = 0;
        for (const chunk of split(stream, cuts)) completed += counter.feed(chunk);
        assert.equal(completed, 25);
        assert.equal(counter.frames, 25);
        assert.equal(counter.offset, 0);
      }),
      { numRuns: 50 },
    );
  }
});

test('FixedFrameCounter fails on frames of another channel, size or alignment', () => {
  const header = messageFrameHeader('ch1', 4);
  const size = messageFrameBytes(3, 4);
  assert.throws(
    () => new FixedFrameCounter(size, header).feed(Buffer.from(message('ch2', 'abcd'))),
    /unexpected frame/,
  );
  assert.throws(
    () => new FixedFrameCounter(size, header).feed(Buffer.from(message('ch1', 'abcd') + message('ch1', 'abcde'))),
    /boundary lost/,
  );
  assert.throws(() => new FixedFrameCounter(size, header).feed(Buffer.from(':1\r\n')), /unexpected frame/);
});

test('IntegerReplySummer sums PUBLISH replies across chunks and keeps min/max', () => {
  const stream = Buffer.from(':1000\r\n:0\r\n:7\r\n-ERR x\r\n:12\r\n');
  fc.assert(
    fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
      const summer = new IntegerReplySummer();
      let completed = 0;
      for (const chunk of split(stream, cuts)) completed += summer.feed(chunk);
      assert.equal(completed, 5);
      assert.equal(summer.replies, 4);
      assert.equal(summer.sum, 1019);
      assert.equal(summer.min, 0);
      assert.equal(summer.max, 1000);
      assert.equal(summer.errors, 1);
    }),
  );
  assert.throws(() => new IntegerReplySummer().feed(Buffer.from('+OK\r\n')), /expected integer/);
});

test('maxLagDeliveries takes the smaller byte budget, in whole frames, never 0', () => {
  const frame = messageFrameBytes(5, 100);
  const shape = {
    subscribers: 10,
    payloadBytes: 100,
    channelBytes: 5,
    maxLagBytesPerSubscriber: frame * 3,
    maxLagBytesTotal: frame * 1000,
  };
  assert.equal(maxLagDeliveries(shape), 30);
  assert.equal(maxLagDeliveries({ ...shape, maxLagBytesTotal: frame * 7 + 1 }), 7);
  assert.equal(maxLagDeliveries({ ...shape, maxLagBytesTotal: 1 }), 1);
});

test('pubsub options: defaults, pnpm\'s "--", lists and bounds', () => {
  const defaults = parsePubsubOptions(['--']);
  assert.deepEqual(defaults.subscribers, [1, 100, 1000]);
  assert.deepEqual(defaults.sizes, [16, 1024]);
  assert.equal(defaults.rounds, 3);
  assert.equal(defaults.seconds, 3);
  assert.equal(defaults.batch, 64);
  assert.equal(defaults.window, 16);
  assert.equal(defaults.counting, 'fixed');
  assert.equal(defaults.maxLagBytesPerSubscriber, 8 * 1024 * 1024);
  assert.equal(defaults.pin, true);
  const custom = parsePubsubOptions([
    '--subscribers',
    '10, 10,2_000',
    '--sizes',
    '0',
    '--no-pin',
    '--counter',
    'resp',
    '--nedis-args=--hz 100',
  ]);
  assert.deepEqual(custom.subscribers, [10, 2000]);
  assert.deepEqual(custom.sizes, [0]);
  assert.equal(custom.pin, false);
  assert.equal(custom.counting, 'resp');
  assert.equal(custom.serverFlags.nedisArgs, '--hz 100');
  assert.throws(() => parsePubsubOptions(['--subscribers', '0']), /--subscribers/);
  assert.throws(() => parsePubsubOptions(['--seconds', '0']), /--seconds/);
  assert.throws(() => parsePubsubOptions(['--rounds', '51']), /--rounds/);
  assert.throws(() => parsePubsubOptions(['--counter', 'guess']), /--counter/);
  assert.throws(() => parsePubsubOptions(['--bogus']));
});

test('notify-lag options: defaults and validation', () => {
  const defaults = parseNotifyLagOptions([]);
  assert.equal(defaults.keys, 100_000);
  assert.equal(defaults.minTtlMs, 1000);
  assert.equal(defaults.maxTtlMs, 10_000);
  assert.equal(defaults.setMode, 'pxat');
  assert.equal(defaults.graceMs, 10_000);
  assert.equal(defaults.rounds, 1);
  assert.throws(() => parseNotifyLagOptions(['--min-ttl-ms', '500', '--max-ttl-ms', '100']), /max-ttl/);
  assert.throws(() => parseNotifyLagOptions(['--set-mode', 'ex']), /set-mode/);
  assert.throws(() => parseNotifyLagOptions(['--keys', '0']), /--keys/);
});

test('ttlOffsets are reproducible per seed and stay within [min, max]', () => {
  const a = ttlOffsets(10_000, 1000, 10_000, 7);
  const b = ttlOffsets(10_000, 1000, 10_000, 7);
  const c = ttlOffsets(10_000, 1000, 10_000, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  let min = Infinity;
  let max = -Infinity;
  for (const v of a) {
    assert.ok(Number.isInteger(v));
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.ok(min >= 1000 && min < 1100, `min ${min}`);
  assert.ok(max <= 10_000 && max > 9900, `max ${max}`);
});

test('encodeSetBatch writes SET key v PXAT deadline (or PX ttl) for the requested range', () => {
  const deadlines = Float64Array.from([5000, 6000, 7000]);
  const decode = (/** @type {Buffer} */ buf) => {
    const commands = [];
    for (let parsed = parseReply(buf, 0); parsed !== null; parsed = parseReply(buf, parsed.next))
      commands.push(parsed.value);
    return commands;
  };
  assert.deepEqual(decode(encodeSetBatch(deadlines, 1, 3, 'pxat', 0)), [
    ['SET', 'lag:1', 'v', 'PXAT', '6000'],
    ['SET', 'lag:2', 'v', 'PXAT', '7000'],
  ]);
  assert.deepEqual(decode(encodeSetBatch(deadlines, 0, 2, 'px', 5500)), [
    ['SET', 'lag:0', 'v', 'PX', '1'],
    ['SET', 'lag:1', 'v', 'PX', '500'],
  ]);
});

test('expired events map back to key indexes; anything else is ignored', () => {
  const channel = '__keyevent@0__:expired';
  assert.equal(expiredEventKey(['message', channel, 'lag:17'], channel), 'lag:17');
  assert.equal(expiredEventKey(['subscribe', channel, 1], channel), null);
  assert.equal(expiredEventKey(['message', 'other', 'lag:1'], channel), null);
  assert.equal(keyIndex('lag:17', 100), 17);
  assert.equal(keyIndex('lag:100', 100), -1);
  assert.equal(keyIndex('lag:1x', 100), -1);
  assert.equal(keyIndex('other:1', 100), -1);
});

test('percentile is nearest-rank', () => {
  const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(percentile(sorted, 50), 5);
  assert.equal(percentile(sorted, 99), 10);
  assert.equal(percentile(sorted, 10), 1);
  assert.equal(percentile(sorted, 100), 10);
  assert.ok(Number.isNaN(percentile(new Float64Array(0), 50)));
});

test('lagSummary counts keys whose event never came as infinitely late', () => {
  const deadlines = new Float64Array(100).fill(1000);
  const arrivals = new Float64Array(100).fill(Number.NaN);
  for (let i = 0; i < 98; i++) arrivals[i] = 1000 + i; // lags 0..97 ms
  const s = lagSummary(deadlines, arrivals);
  assert.equal(s.received, 98);
  assert.equal(s.missing, 2);
  assert.equal(s.minMs, 0);
  assert.equal(s.p50Ms, 49);
  assert.equal(s.p90Ms, 89);
  assert.equal(s.p99Ms, Infinity);
  assert.equal(s.maxMs, Infinity);
  assert.equal(s.meanMs, 48.5);
});

test('lag report: medians keep "never", the table shows both servers', () => {
  assert.equal(medianKeepingInfinity([3, Infinity, 1]), 3);
  assert.equal(medianKeepingInfinity([1, Infinity]), Infinity);
  assert.equal(medianKeepingInfinity([1, 3]), 2);
  const summary = lagSummary(Float64Array.from([0, 0]), Float64Array.from([1, Number.NaN]));
  const run = {
    ok: /** @type {const} */ (true),
    round: 1,
    summary,
    loadSeconds: 0.1,
    loadOverlappedDeadlines: false,
    waitSeconds: 2,
    serverCpuMicros: 20_000,
    idleCpuMicrosPerSecond: 1000,
    duplicateEvents: 0,
    unknownEvents: 0,
    keysLeft: 1,
  };
  const nedis = summarizeLagServer({ error: null, runs: [run] });
  const redis = summarizeLagServer({ error: 'boom', runs: [{ ok: false, error: 'boom', round: 1 }] });
  assert.equal(nedis.busy, 0.01);
  const table = renderLagTable({ nedis, redis }, 2);
  assert.match(table, /\| lag max, ms +\| +never \(missing\) \| +failed \|/);
  assert.match(table, /\| expired events received +\| +1 \| +failed \|/);
});

test('pubsub report pairs nedis and Redis runs of the same round', () => {
  /** @param {number} round @param {number} delivered @param {number} cpuMicros */
  const run = (round, delivered, cpuMicros) => ({
    ok: /** @type {const} */ (true),
    round,
    published: delivered,
    deliveries: delivered,
    delivered,
    deliveredBytes: 0,
    seconds: 1,
    publishSeconds: 1,
    serverCpuMicros: cpuMicros,
    subscriberCpuMicros: 0,
    publisherCpuMicros: 0,
    pausedMs: 100,
    maxLagDeliveries: 0,
    maxBacklogDeliveries: 0,
    maxLagBound: 1,
    minPerSubscriber: delivered,
    maxPerSubscriber: delivered,
    drained: true,
  });
  const [row] = summarizePubsub([
    {
      subscribers: 100,
      payloadBytes: 16,
      servers: {
        // Round 2 ran on a slower machine for both: pairing keeps the ratio at 2× in every round.
        nedis: {
          error: null,
          runs: [run(1, 2_000_000, 500_000), run(2, 1_000_000, 500_000), run(3, 2_000_000, 500_000)],
        },
        redis: {
          error: null,
          runs: [run(1, 1_000_000, 500_000), run(2, 500_000, 500_000), run(3, 1_000_000, 500_000)],
        },
      },
    },
  ]);
  assert.ok(row);
  assert.equal(row.rateRatio, 2);
  assert.equal(row.messagesPerCpuSecondRatio, 2);
  assert.equal(row.nedis.cpuNsPerMessage, 250);
  assert.equal(row.nedis.pausedShare, 0.1);
  assert.match(renderPubsubTable([row]), /\| +100 \| +16 B \| +2,000,000 \| +1,000,000 \| +2\.00× \| +250 \/ 500 \|/);
});
