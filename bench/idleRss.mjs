#!/usr/bin/env node
// pnpm bench:idle-rss — resident memory of an idle nedis against an idle redis-server, and what
// nedis's is made of. Both servers run side by side; nothing is loaded.
import { readFileSync } from 'node:fs';
import { IDLE_RSS_HELP, parseIdleRssOptions } from './lib/idleRssOptions.mjs';
import { parseProcMemory, parseRuntimeBreakdown, renderBreakdownTable, renderRssTable } from './lib/idleRssReport.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { RespClient } from './lib/respClient.mjs';
import { parseInfo } from './lib/respReader.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { resolveServerSpecs, startServer } from './lib/servers.mjs';
import { sleep } from './lib/stats.mjs';

/**
 * One reading of a running server: /proc memory, used_memory and (nedis) its breakdown. The
 * client connects for the reading only, so no connection sits in the idle figures.
 * @param {import('./lib/servers.mjs').RunningServer} server
 * @param {number} atMs
 * @returns {Promise<import('./lib/idleRssReport.mjs').Reading>}
 */
async function read(server, atMs) {
  const proc = parseProcMemory(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  const client = await RespClient.connect(server.port, { timeoutMs: 10_000 });
  try {
    const info = parseInfo(String(await client.call('INFO', 'memory')));
    const stats = await client.call('MEMORY', 'MALLOC-STATS').catch(() => '');
    return { atMs, proc, usedMemory: Number(info.used_memory), breakdown: parseRuntimeBreakdown(String(stats)) };
  } finally {
    client.close();
  }
}

async function main() {
  const options = parseIdleRssOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(IDLE_RSS_HELP);
    return 0;
  }
  const specs = resolveServerSpecs(options.serverFlags);
  const machine = describeMachine({ nedisCommand: specs.nedis.command });
  const servers = [];
  try {
    for (const name of options.servers) {
      const server = await startServer(specs[name], { cpu: null });
      log(`started ${name}: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
      servers.push(server);
    }
    const started = Date.now();
    /** @type {import('./lib/idleRssReport.mjs').IdleResult[]} */
    const results = servers.map((s) => ({ name: s.name, commandLine: s.commandLine, readings: [] }));
    const at = [options.waitMs, ...(options.settleMs > 0 ? [options.waitMs + options.settleMs] : [])];
    for (const ms of at) {
      await sleep(Math.max(0, started + ms - Date.now()));
      // The readings' own connections are short; they are all taken before any is reported.
      for (const [i, server] of servers.entries()) results[i]?.readings.push(await read(server, Date.now() - started));
    }
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ machine, settings: { ...options, serverFlags: undefined }, results }, null, 2)}\n`,
      );
      return 0;
    }
    const nedis = results.find((r) => r.name === 'nedis');
    process.stdout.write(
      [
        '## Idle RSS: nedis and redis-server with no data',
        '',
        ...machineLines(machine),
        ...results.map((r) => `- ${r.name}: \`${r.commandLine}\``),
        '',
        renderRssTable(results),
        '',
        ...(nedis ? ['### What nedis holds', '', renderBreakdownTable(nedis), ''] : []),
        'RSS, anon and file are VmRSS, RssAnon and RssFile of /proc/<pid>/status (file-backed pages are mostly the',
        "server binary's code, shared by every process that runs it). Ratios are nedis/Redis.",
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    for (const s of servers) await s.stop();
  }
}

runMain('bench:idle-rss', main);
