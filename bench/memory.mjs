#!/usr/bin/env node
import { supportsMset, writeAllKeys } from './lib/keyLoader.mjs';
// pnpm bench:memory — memory per key of nedis against redis-server after loading N keys
// (and, with --churn, after overwriting them repeatedly). Servers run one at a time.
// Usage and how to read the table: bench/README.md.
import { describeMachine, machineLines } from './lib/machine.mjs';
import { MEMORY_HELP, parseMemoryOptions } from './lib/memoryOptions.mjs';
import { renderMemoryTable } from './lib/memoryReport.mjs';
import { memorySnapshot } from './lib/memorySnapshot.mjs';
import { RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { resolveServerSpecs, startServer } from './lib/servers.mjs';
import { sleep } from './lib/stats.mjs';
import { formatInt } from './lib/table.mjs';

/**
 * Loads, measures (and churns) one server, then stops it.
 * @param {'nedis' | 'redis'} name
 * @param {import('./lib/servers.mjs').ServerSpec} spec
 * @param {import('./lib/memoryOptions.mjs').MemoryOptions} options
 * @returns {Promise<import('./lib/memoryReport.mjs').MemoryResult>}
 */
async function measureServer(name, spec, options) {
  const server = await startServer(spec, { cpu: null });
  log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
  /** @type {RespClient | null} */
  let client = null;
  try {
    // Generous per-batch timeout: a batch is ≤ --batch keys, even a slow server answers in far less.
    client = await RespClient.connect(server.port, { timeoutMs: 120_000 });
    await sleep(options.settleMs);
    const empty = await memorySnapshot(server, client);
    const useMset =
      options.loader === 'auto' ? await supportsMset(client, options.valueSize) : options.loader === 'mset';
    log(`${name}: loading ${formatInt(options.keys)} keys with ${useMset ? 'MSET' : 'SET'}`);
    const loaderOptions = {
      keys: options.keys,
      valueSize: options.valueSize,
      useMset,
      batchKeys: options.batchKeys,
      perCommand: options.perCommand,
    };
    const load = await writeAllKeys(client, { ...loaderOptions, pass: 0 });
    log(`${name}: loaded in ${load.seconds.toFixed(1)} s (${formatInt(options.keys / load.seconds)} keys/s)`);
    await sleep(options.settleMs);
    const loaded = await memorySnapshot(server, client);
    if (Number.isFinite(loaded.dbsize) && loaded.dbsize !== options.keys) {
      log(`warning: ${name} reports DBSIZE ${loaded.dbsize}, expected ${options.keys}`);
    }
    let churned = null;
    let churnSeconds = null;
    if (options.churn) {
      churnSeconds = 0;
      for (let pass = 1; pass <= options.churnPasses; pass++) {
        const { seconds } = await writeAllKeys(client, { ...loaderOptions, pass });
        churnSeconds += seconds;
        log(`${name}: overwrite pass ${pass}/${options.churnPasses} in ${seconds.toFixed(1)} s`);
      }
      await sleep(options.settleMs);
      churned = await memorySnapshot(server, client);
    }
    return {
      name,
      loader: useMset ? 'mset' : 'set',
      empty,
      loaded,
      loadSeconds: load.seconds,
      churned,
      churnSeconds,
      error: null,
    };
  } catch (err) {
    const detail = server.exited() ? `\n--- ${name} output ---\n${server.output().slice(-2_000)}` : '';
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}${detail}`);
  } finally {
    client?.close();
    await server.stop();
  }
}

async function main() {
  const options = parseMemoryOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(MEMORY_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  /** @type {import('./lib/memoryReport.mjs').MemoryResult[]} */
  const results = [];
  /** @type {string[]} */
  const failures = [];
  let loader = options.loader;
  for (const name of options.servers) {
    try {
      const result = await measureServer(name, specs[name], { ...options, loader });
      results.push(result);
      // Once one server needed SET, load the next one with SET too, so load rates compare like for like.
      if (loader === 'auto' && result.loader === 'set') loader = 'set';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failures.push(message);
      log(`failed: ${message}`);
    }
  }
  if (options.json) {
    const settings = { ...options, serverFlags: undefined, help: undefined };
    process.stdout.write(`${JSON.stringify({ machine, settings, results, failures }, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        `## Memory: ${formatInt(options.keys)} keys (key:<i> → ${options.valueSize}-byte values)${options.churn ? `, then ${options.churnPasses} overwrite passes` : ''}`,
        '',
        ...machineLines(machine),
        `- loaders: ${results.map((r) => `${r.name} ${r.loader.toUpperCase()}`).join(', ')}; servers measured one at a time, ${options.settleMs} ms settle before each reading`,
        '',
        ...(results.length > 0 ? [renderMemoryTable(results, options), ''] : []),
        "RSS is VmRSS from /proc/<pid>/status; used_memory is the server's own INFO memory figure. Ratios are nedis/Redis (< 1× means nedis uses less).",
        ...(failures.length > 0 ? ['', 'Failed:', ...failures.map((f) => `- ${f.split('\n')[0]}`)] : []),
        '',
      ].join('\n'),
    );
  }
  return failures.length > 0 ? 1 : 0;
}

runMain('bench:memory', main);
