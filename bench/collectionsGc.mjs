#!/usr/bin/env node
// pnpm bench:collections-gc — nedis's garbage-collector pauses (node --trace-gc) while it holds
// the collection data set and serves HSET/SADD/ZADD/LPUSH over it. Usage: bench/README.md.
import { loadCase, selectCases, verifyCase } from './lib/collectionsDataset.mjs';
import { COLLECTIONS_GC_HELP, parseCollectionsGcOptions, serveCommandFor } from './lib/collectionsGcOptions.mjs';
import { parseGcTrace, pauseRows, withNodeFlags } from './lib/gcTrace.mjs';
import { describeMachine, machineLines } from './lib/machine.mjs';
import { calibrateRequests, measuredRun } from './lib/measuredRun.mjs';
import { RespClient } from './lib/respClient.mjs';
import { log, runMain } from './lib/runMain.mjs';
import { resolvePinning, resolveServerSpecs, startServer } from './lib/servers.mjs';
import { formatFixed, formatInt, markdownTable } from './lib/table.mjs';

async function main() {
  const options = parseCollectionsGcOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(COLLECTIONS_GC_HELP);
    return 0;
  }
  const cases = selectCases(options.cases, options.scale);
  const { nedis } = resolveServerSpecs(options.serverFlags);
  const { command, traced } = withNodeFlags(nedis.command, ['--trace-gc', ...options.nodeFlags]);
  const { pin, serverCpu, clientCpu } = resolvePinning(options);
  const machine = describeMachine({ nedisCommand: command });

  let trace = '';
  /** @type {{ phase: string, from: number, to: number }[]} */
  const phases = [];
  /** @type {{ label: string, requests: number, rps: number, cpuBusy: number, error: string | null }[]} */
  const serving = [];
  /** @type {import('./lib/collectionsDataset.mjs').DatasetCase[]} */
  const loaded = [];
  /** @type {string[]} */
  const loadFailures = [];
  const server = await startServer({ ...nedis, command }, { cpu: serverCpu, onOutput: (t) => (trace += t) });
  log(`started nedis: pid ${server.pid}, port ${server.port}: ${server.commandLine}`);
  phases.push({ phase: 'startup', from: 0, to: trace.length });
  /** @type {RespClient | null} */
  let client = null;
  try {
    client = await RespClient.connect(server.port, { timeoutMs: 120_000 });
    let dbsize = 0;
    for (const c of cases) {
      const from = trace.length;
      try {
        const { seconds } = await loadCase(client, c, { padded: true });
        await verifyCase(client, c, { padded: true, dbsizeBefore: dbsize });
        dbsize += c.keys;
        loaded.push(c);
        log(`loaded ${c.id} (${c.name}): ${formatInt(c.elements)} elements in ${seconds.toFixed(1)} s`);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        loadFailures.push(`${c.id} (${c.name}): ${message}`);
        log(`loading ${c.id} (${c.name}) failed: ${message}`);
        if (server.exited() || client.failure !== null) throw err;
        const size = await client.call('DBSIZE');
        dbsize = typeof size === 'number' ? size : dbsize;
      }
      phases.push({ phase: `load ${c.id} (${c.name})`, from, to: trace.length });
    }
    client.close();
    client = null;
    for (const c of loaded) {
      const serve = serveCommandFor(c);
      const shape = {
        test: serve.label,
        label: serve.label,
        command: serve.command,
        pipeline: options.pipeline,
        clients: options.clients,
        keyspace: serve.keyspace,
        dataSize: 3,
        clientCpu,
      };
      const from = trace.length;
      const calibrated = await calibrateRequests(server, shape, options.seconds);
      const run = calibrated.ok
        ? await measuredRun(server, shape, calibrated.requests, Math.max(60_000, options.seconds * 15_000))
        : /** @type {const} */ ({ ok: false, requests: 0, error: calibrated.error });
      phases.push({ phase: `serve ${serve.label}`, from, to: trace.length });
      if (run.ok) {
        const rps = run.rows[0]?.rps ?? Number.NaN;
        const cpuBusy = run.serverCpuMicros / (run.benchmarkSeconds * 1e6);
        serving.push({ label: serve.label, requests: run.requests, rps, cpuBusy, error: null });
        log(`served ${serve.label}: ${formatInt(rps)} ops/s`);
      } else {
        serving.push({
          label: serve.label,
          requests: run.requests,
          rps: Number.NaN,
          cpuBusy: Number.NaN,
          error: run.error,
        });
        log(`serving ${serve.label} failed: ${run.error.split('\n')[0]}`);
      }
    }
  } finally {
    client?.close();
    await server.stop();
  }

  const rows = phases.flatMap((p) => pauseRows(p.phase, parseGcTrace(trace.slice(p.from, p.to))));
  const servingPauses = phases
    .filter((p) => p.phase.startsWith('serve '))
    .flatMap((p) => parseGcTrace(trace.slice(p.from, p.to)));
  const worstServingMs = servingPauses.length > 0 ? Math.max(...servingPauses.map((p) => p.ms)) : Number.NaN;
  const failed = serving.filter((s) => s.error !== null);
  const meets = traced && failed.length === 0 && loadFailures.length === 0 && !(worstServingMs >= options.targetMs);
  if (options.json) {
    const settings = { ...options, serverFlags: undefined, help: undefined, nedisCommand: command, traced };
    process.stdout.write(
      `${JSON.stringify({ machine, settings, cases, loadFailures, serving, pauses: rows, worstServingMs, meets }, null, 2)}\n`,
    );
    return meets ? 0 : 1;
  }
  const pauseTable = markdownTable(
    ['phase', 'collector', 'pauses', 'p50 ms', 'p99 ms', 'max ms'],
    rows.map((r) => [r.phase, r.kind, formatInt(r.count), formatFixed(r.p50), formatFixed(r.p99), formatFixed(r.max)]),
    ['left', 'left', 'right', 'right', 'right', 'right'],
  );
  const servingTable = markdownTable(
    ['load', '-n', 'ops/s', 'CPU busy', 'result'],
    serving.map((s) => [
      s.label,
      formatInt(s.requests),
      formatInt(s.rps),
      Number.isFinite(s.cpuBusy) ? `${Math.round(s.cpuBusy * 100)}%` : '—',
      s.error === null ? 'ok' : `failed: ${s.error.split('\n')[0]?.slice(0, 80)}`,
    ]),
    ['left', 'right', 'right', 'right', 'left'],
  );
  process.stdout.write(
    [
      `## GC pauses of nedis holding the collection data set (scale ${options.scale}: ${cases.map((c) => c.id).join(', ')})`,
      '',
      ...machineLines(machine),
      `- ${server.commandLine}`,
      `- pinning: ${pin ? `nedis on CPU ${serverCpu}, redis-benchmark on CPU ${clientCpu}` : 'none'}; load -P ${options.pipeline} -c ${options.clients}, ~${options.seconds} s per case`,
      '',
      traced ? pauseTable : 'No --trace-gc output: the nedis command is not a node binary.',
      '',
      servingTable,
      '',
      ...(loadFailures.length > 0
        ? ['Not loaded (not served):', ...loadFailures.map((f) => `- ${f.slice(0, 200)}`), '']
        : []),
      `**Worst pause while serving: ${formatFixed(worstServingMs)} ms (target < ${options.targetMs} ms): ${meets ? 'meets' : 'does NOT meet'}.**`,
      '',
      'Pauses as `node --trace-gc` prints them (main-thread time of each collection). startup = before the first ' +
        'client; load = pipelined raw RESP of the case; serve = redis-benchmark with the custom command shown ' +
        '(its -n probes included), -r the case size so __rand_int__ hits loaded keys and members.',
      '',
    ].join('\n'),
  );
  return meets ? 0 : 1;
}

runMain('bench:collections-gc', main);
