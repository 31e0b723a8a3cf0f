#!/usr/bin/env node
// pnpm bench:collections-memory — memory per element of hashes, sets, sorted sets and lists in
// nedis against redis-server: each case loaded into a fresh server, one server at a time.
// Usage and how to read the table: bench/README.md.
import { loadCase, selectCases, verifyCase } from './lib/collectionsDataset.mjs';
import { COLLECTIONS_MEMORY_HELP, parseCollectionsMemoryOptions } from './lib/collectionsMemoryOptions.mjs';
import { renderCollectionsMemoryTable } from './lib/collectionsMemoryReport.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { memorySnapshot } from './lib/memorySnapshot.mjs';
import { RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { resolveServerSpecs, startServer } from './lib/servers.mjs';
import { sleep } from './lib/stats.mjs';
import { formatInt } from './lib/table.mjs';

/**
 * One case on one fresh server.
 * @param {'nedis' | 'redis'} name
 * @param {import('./lib/servers.mjs').ServerSpec} spec
 * @param {import('./lib/collectionsDataset.mjs').DatasetCase} c
 * @param {number} settleMs
 * @returns {Promise<import('./lib/collectionsMemoryReport.mjs').CaseMeasurement>}
 */
async function measureCase(name, spec, c, settleMs) {
  const server = await startServer(spec, { cpu: null });
  /** @type {RespClient | null} */
  let client = null;
  try {
    client = await RespClient.connect(server.port, { timeoutMs: 120_000 });
    await sleep(settleMs);
    const empty = await memorySnapshot(server, client);
    const { seconds } = await loadCase(client, c);
    const { encoding } = await verifyCase(client, c);
    log(
      `${name} ${c.id} (${c.name}): ${formatInt(c.elements)} elements in ${seconds.toFixed(1)} s (${formatInt(c.elements / seconds)}/s), ${encoding}`,
    );
    await sleep(settleMs);
    const loaded = await memorySnapshot(server, client);
    return { server: name, caseId: c.id, empty, loaded, loadSeconds: seconds, encoding };
  } catch (err) {
    const detail = server.exited() ? `\n--- ${name} output ---\n${server.output().slice(-2_000)}` : '';
    throw new Error(`${name} ${c.id} (${c.name}): ${err instanceof Error ? err.message : String(err)}${detail}`);
  } finally {
    client?.close();
    await server.stop();
  }
}

async function main() {
  const options = parseCollectionsMemoryOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(COLLECTIONS_MEMORY_HELP);
    return 0;
  }
  const cases = selectCases(options.cases, options.scale);
  const specs = resolveServerSpecs(options.serverFlags);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  /** @type {import('./lib/collectionsMemoryReport.mjs').CaseMeasurement[]} */
  const measurements = [];
  /** @type {string[]} */
  const failures = [];
  for (const c of cases) {
    for (const name of options.servers) {
      try {
        measurements.push(await measureCase(name, specs[name], c, options.settleMs));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push(message);
        log(`failed: ${message}`);
      }
    }
  }
  if (options.json) {
    const settings = {
      cases: cases.map((c) => c.id),
      scale: options.scale,
      servers: options.servers,
      settleMs: options.settleMs,
    };
    process.stdout.write(`${JSON.stringify({ machine, settings, cases, measurements, failures }, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        `## Collections memory: growth per element after loading, scale ${options.scale}`,
        '',
        ...machineLines(machine),
        `- a fresh server per case and server, one at a time; ${options.settleMs} ms settle before each reading`,
        '',
        renderCollectionsMemoryTable(cases, measurements),
        '',
        "Growth = reading after the load − reading of the same empty server, ÷ elements (fields, members or items). RSS is VmRSS from /proc/<pid>/status; used_memory is the server's own INFO figure. Ratios are nedis/Redis: < 1× means nedis uses less; 'meets' needs both ratios within the target.",
        ...(failures.length > 0 ? ['', 'Failed:', ...failures.map((f) => `- ${f.split('\n')[0]}`)] : []),
        '',
      ].join('\n'),
    );
  }
  return failures.length > 0 ? 1 : 0;
}

runMain('bench:collections-memory', main);
