// End-to-end: both scripts against real redis-server in both slots (NEDIS_SERVER_CMD), tiny sizes.
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

test('compare.mjs --json reports both servers for every test and pipeline', {
  skip: !haveRedis,
  timeout: 60_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'compare.mjs'),
      '--json',
      '--tests',
      'set,get',
      '--pipelines',
      '1,4',
      '--rounds',
      '2',
      '--requests',
      '3000',
      '--no-pin',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  assert.deepEqual(
    report.results.map((/** @type {{ test: string, pipeline: number }} */ r) => `${r.test}/${r.pipeline}`),
    ['SET/1', 'SET/4', 'GET/1', 'GET/4'],
  );
  for (const row of report.results) {
    for (const server of [row.nedis, row.redis]) {
      assert.equal(server.rounds, 2);
      assert.ok(server.rps > 0);
      assert.ok(server.p99Ms >= server.p50Ms);
    }
    assert.ok(row.opsRatio > 0);
  }
});

test('compare.mjs calibrates -n from a probe when no --requests is given', {
  skip: !haveRedis,
  timeout: 60_000,
}, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'compare.mjs'),
      '--json',
      '--tests',
      'ping_inline',
      '--pipelines',
      '1',
      '--rounds',
      '1',
      '--seconds',
      '0.2',
      '--no-pin',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  for (const server of ['nedis', 'redis']) {
    const cell = report.cells[0].servers[server];
    assert.equal(cell.error, null);
    assert.ok(cell.requests >= 10_000, `${server} -n ${cell.requests}`);
  }
});

test('compare.mjs marks a command the server rejects as failed instead of timing error replies', {
  skip: !haveRedis,
  timeout: 60_000,
}, async () => {
  // redis-server with "get" renamed away answers every GET with an error.
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'compare.mjs'),
      '--json',
      '--tests',
      'get',
      '--pipelines',
      '1',
      '--rounds',
      '1',
      '--requests',
      '2000',
      '--no-pin',
      '--nedis-args=--rename-command GET ""',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  assert.equal(report.results[0].nedis.rounds, 0);
  assert.match(report.results[0].nedis.error, /unknown command|ERR/);
  assert.equal(report.results[0].redis.rounds, 1);
});

test('memory.mjs loads exactly N keys into each server', { skip: !haveRedis, timeout: 60_000 }, async () => {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(benchDir, 'memory.mjs'),
      '--json',
      '--keys',
      '12345',
      '--batch',
      '1000',
      '--mset-size',
      '100',
      '--settle-ms',
      '0',
      '--churn',
      '--churn-passes',
      '2',
    ],
    { env, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  assert.deepEqual(report.failures, []);
  assert.equal(report.results.length, 2);
  for (const result of report.results) {
    assert.equal(result.loaded.dbsize, 12345);
    assert.equal(result.churned.dbsize, 12345);
    assert.ok(result.loaded.rssBytes > result.empty.rssBytes);
    assert.ok(result.loaded.usedMemory > result.empty.usedMemory);
  }
});
