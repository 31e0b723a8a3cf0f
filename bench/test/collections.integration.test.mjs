// End-to-end: the collection scripts against real redis-server in both slots (NEDIS_SERVER_CMD),
// tiny sizes, so they are known to work before nedis has the collection commands.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
let haveRedis = true;
try {
  execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  execFileSync('redis-benchmark', ['--version'], { stdio: 'ignore' });
} catch {
  haveRedis = false;
}
const env = { ...process.env, NEDIS_SERVER_CMD: 'redis-server' };

test('collections.mjs measures pops, LRANGE and MSET on both servers and checks the default list', {
  skip: !haveRedis,
  timeout: 120_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'collections.mjs'),
      '--json',
      '--tests',
      'rpop,zpopmin,lrange_100,mset',
      '--pipelines',
      '4',
      '--rounds',
      '1',
      '--requests',
      '2000',
      '--suite-requests',
      '300',
      '--no-pin',
    ],
    { env, timeout: 120_000 },
  );
  const report = JSON.parse(stdout);
  assert.deepEqual(
    report.results.map((/** @type {{ test: string }} */ r) => r.test),
    ['RPOP', 'ZPOPMIN', 'LRANGE_100 (first 100 elements)', 'MSET (10 keys)'],
  );
  for (const row of report.results) {
    for (const server of [row.nedis, row.redis]) {
      assert.equal(server.error, null);
      assert.equal(server.rounds, 1);
      // 10 ms CPU ticks: a run this short may read 0 CPU time.
      assert.ok(server.cpuUsPerOp >= 0);
      assert.ok(server.rps > 0);
    }
    assert.ok(row.opsRatio > 0);
  }
  for (const name of ['nedis', 'redis']) {
    const check = report.defaultSuite[name];
    assert.equal(Object.keys(check.perTest).length, 19);
    for (const [t, r] of Object.entries(check.perTest)) assert.ok(r.ok, `${name} ${t}: ${r.error}`);
    assert.equal(check.whole.ok, true);
    assert.equal(check.whole.completed.length, 20); // 19 tests + LRANGE's LPUSH preparation
  }
});

test('collections.mjs reports a test the server rejects as failed, in the measurement and the check', {
  skip: !haveRedis,
  timeout: 120_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'collections.mjs'),
      '--json',
      '--tests',
      'lpop',
      '--pipelines',
      '1',
      '--rounds',
      '1',
      '--requests',
      '500',
      '--suite-requests',
      '200',
      '--no-pin',
      '--nedis-args=--rename-command LPOP ""',
    ],
    { env, timeout: 120_000 },
  );
  const report = JSON.parse(stdout);
  assert.equal(report.results[0].nedis.rounds, 0);
  assert.match(report.results[0].nedis.error, /unknown command/);
  assert.equal(report.results[0].redis.rounds, 1);
  const nedis = report.defaultSuite.nedis;
  assert.equal(nedis.perTest.lpop.ok, false);
  assert.equal(nedis.perTest.rpop.ok, true);
  assert.equal(nedis.whole.ok, false);
  assert.equal(nedis.whole.failedAt, 'lpop');
  assert.equal(report.defaultSuite.redis.whole.ok, true);
});

test('collectionsMemory.mjs loads every case into both servers', { skip: !haveRedis, timeout: 120_000 }, async () => {
  const { stdout } = await run(
    process.execPath,
    [path.join(benchDir, 'collectionsMemory.mjs'), '--json', '--scale', '0.002', '--settle-ms', '0'],
    { env, timeout: 120_000 },
  );
  const report = JSON.parse(stdout);
  assert.deepEqual(report.failures, []);
  assert.equal(report.measurements.length, 14);
  const encodings = Object.fromEntries(
    report.measurements
      .filter((/** @type {{ server: string }} */ m) => m.server === 'redis')
      .map((/** @type {{ caseId: string, encoding: string }} */ m) => [m.caseId, m.encoding]),
  );
  assert.deepEqual(encodings, {
    a: 'listpack',
    b: 'intset',
    c: 'quicklist',
    d: 'hashtable',
    e: 'hashtable',
    f: 'skiplist',
    g: 'quicklist',
  });
  for (const m of report.measurements) assert.ok(m.loaded.usedMemory > m.empty.usedMemory);
});

test('collectionsGc.mjs loads the data set and serves every case (untraced with redis-server)', {
  skip: !haveRedis,
  timeout: 120_000,
}, async () => {
  // Without node there is no GC trace, so the target cannot be met: exit code 1, JSON still printed.
  const outcome = await run(
    process.execPath,
    [path.join(benchDir, 'collectionsGc.mjs'), '--json', '--scale', '0.002', '--seconds', '0.05', '--no-pin'],
    { env, timeout: 120_000 },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (err) => ({ code: err.code, stdout: err.stdout }),
  );
  assert.equal(outcome.code, 1);
  const report = JSON.parse(outcome.stdout);
  assert.equal(report.settings.traced, false);
  assert.equal(report.serving.length, 7);
  for (const s of report.serving) assert.equal(s.error, null, s.label);
  assert.equal(report.meets, false);
});
