// End-to-end: pubsub.mjs and notifyLag.mjs against real redis-server in both slots
// (NEDIS_SERVER_CMD), tiny sizes, so the harness itself is proven without nedis being built.
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
} catch {
  haveRedis = false;
}
const env = { ...process.env, NEDIS_SERVER_CMD: 'redis-server' };

test('pubsub.mjs --json: every published message reaches every subscriber, for both servers', {
  skip: !haveRedis,
  timeout: 90_000,
}, async () => {
  for (const counter of ['fixed', 'resp']) {
    const { stdout } = await run(
      process.execPath,
      [
        path.join(benchDir, 'pubsub.mjs'),
        '--json',
        '--subscribers',
        '1,20',
        '--sizes',
        '16,300',
        '--rounds',
        '1',
        '--seconds',
        '0.3',
        '--no-pin',
        '--counter',
        counter,
      ],
      { env, timeout: 90_000 },
    );
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.results.map(
        (/** @type {{ subscribers: number, payloadBytes: number }} */ r) => `${r.subscribers}/${r.payloadBytes}`,
      ),
      ['1/16', '1/300', '20/16', '20/300'],
    );
    for (const cell of report.cells) {
      for (const server of ['nedis', 'redis']) {
        const [only] = cell.servers[server].runs;
        assert.equal(only.ok, true, only.error);
        assert.ok(only.published > 0);
        assert.equal(only.deliveries, only.published * cell.subscribers);
        assert.equal(only.delivered, only.deliveries);
        assert.equal(only.minPerSubscriber, only.published);
        assert.equal(only.maxPerSubscriber, only.published);
        assert.ok(only.serverCpuMicros >= 0);
      }
    }
    for (const row of report.results) assert.ok(row.rateRatio > 0);
  }
});

test('pubsub.mjs keeps the publisher within the lag bound when the bound is tiny', {
  skip: !haveRedis,
  timeout: 60_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'pubsub.mjs'),
      '--json',
      '--subscribers',
      '5',
      '--sizes',
      '1000',
      '--rounds',
      '1',
      '--seconds',
      '0.3',
      '--no-pin',
      '--batch',
      '4',
      '--window',
      '1',
      '--max-lag-mb',
      '0.01',
      '--max-lag-total-mb',
      '0.02',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  for (const server of ['nedis', 'redis']) {
    const [only] = report.cells[0].servers[server].runs;
    assert.equal(only.ok, true, only.error);
    assert.equal(only.delivered, only.deliveries);
    assert.ok(only.pausedMs > 0, 'a bound below one batch must make the publisher wait');
    // One batch may always go out once subscribers have caught up; never more than bound + a batch.
    assert.ok(only.maxLagDeliveries <= only.maxLagBound + 4 * 5, `${only.maxLagDeliveries} > ${only.maxLagBound}`);
  }
});

test("notifyLag.mjs --json: every key's expired event arrives, lags are measured for both servers", {
  skip: !haveRedis,
  timeout: 60_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'notifyLag.mjs'),
      '--json',
      '--keys',
      '3000',
      '--min-ttl-ms',
      '300',
      '--max-ttl-ms',
      '800',
      '--grace-ms',
      '3000',
      '--idle-ms',
      '100',
      '--batch',
      '500',
      '--no-pin',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  for (const server of ['nedis', 'redis']) {
    const summary = report.results[server];
    assert.equal(summary.rounds, 1);
    assert.equal(summary.received, 3000);
    assert.equal(summary.missing, 0);
    assert.equal(summary.keysLeft, 0);
    assert.ok(summary.minMs >= -5, `min lag ${summary.minMs}`);
    assert.ok(summary.p50Ms <= summary.p99Ms && summary.p99Ms <= summary.maxMs);
    assert.ok(Number.isFinite(summary.maxMs));
  }
});
