// Readings and tables of bench/idleRss.mjs.
import { formatInt, formatMiB, formatRatio, markdownTable } from './table.mjs';

/**
 * @typedef {{ rss: number, anon: number, file: number, threads: number }} ProcMemory
 * @typedef {{ heapPhysical: number, heapUsed: number, external: number, arrayBuffers: number,
 *   mallocedByV8: number, spaces: { name: string, physical: number, used: number }[],
 *   luaEval: string, luaFunctions: string }} RuntimeBreakdown
 * @typedef {{ atMs: number, proc: ProcMemory, usedMemory: number, breakdown: RuntimeBreakdown | null }} Reading
 * @typedef {{ name: string, commandLine: string, readings: Reading[] }} IdleResult
 */

/**
 * VmRSS, RssAnon, RssFile (bytes) and Threads of a /proc/<pid>/status text; NaN where missing.
 * @param {string} text
 * @returns {ProcMemory}
 */
export function parseProcMemory(text) {
  const field = (/** @type {string} */ name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    return match ? Number(match[1]) : Number.NaN;
  };
  return {
    rss: field('VmRSS') * 1024,
    anon: field('RssAnon') * 1024,
    file: field('RssFile') * 1024,
    threads: field('Threads'),
  };
}

/**
 * The "V8 and process statistics" part of nedis's MEMORY MALLOC-STATS; null when absent (Redis,
 * or a nedis without it).
 * @param {string} text
 * @returns {RuntimeBreakdown | null}
 */
export function parseRuntimeBreakdown(text) {
  const start = text.indexOf('___ Begin V8 and process statistics ___');
  if (start < 0) return null;
  const part = text.slice(start);
  const num = (/** @type {RegExp} */ re) => {
    const match = re.exec(part);
    return match ? Number(match[1]) : Number.NaN;
  };
  /** @type {{ name: string, physical: number, used: number }[]} */
  const spaces = [];
  for (const match of part.matchAll(/^ {2}(\w+): (\d+) \/ (\d+)$/gm)) {
    spaces.push({ name: /** @type {string} */ (match[1]), physical: Number(match[2]), used: Number(match[3]) });
  }
  const lua = /^lua eval engine: (.*), lua functions engine: (.*)$/m.exec(part);
  return {
    heapPhysical: num(/heap physical: (\d+)/),
    heapUsed: num(/heap used: (\d+)/),
    external: num(/^external: (\d+)/m),
    arrayBuffers: num(/array buffers: (\d+)/),
    mallocedByV8: num(/malloced by V8: (\d+)/),
    spaces,
    luaEval: lua?.[1] ?? '?',
    luaFunctions: lua?.[2] ?? '?',
  };
}

/**
 * The RSS table: one row per reading time, each server's RSS (anon + file) and the ratio.
 * @param {IdleResult[]} results
 */
export function renderRssTable(results) {
  const nedis = results.find((r) => r.name === 'nedis');
  const redis = results.find((r) => r.name === 'redis');
  const readings = Math.max(...results.map((r) => r.readings.length));
  const headers = ['after start', ...results.map((r) => `${r.name} RSS (anon + file)`)];
  if (nedis && redis) headers.push('RSS nedis/Redis', 'anon nedis/Redis');
  /** @type {string[][]} */
  const rows = [];
  for (let i = 0; i < readings; i++) {
    const at = results[0]?.readings[i]?.atMs ?? Number.NaN;
    const row = [`${(at / 1000).toFixed(1)} s`];
    for (const r of results) {
      const p = r.readings[i]?.proc;
      row.push(p ? `${formatMiB(p.rss)} (${formatMiB(p.anon)} + ${formatMiB(p.file)})` : '—');
    }
    if (nedis && redis) {
      const a = nedis.readings[i]?.proc;
      const b = redis.readings[i]?.proc;
      row.push(formatRatio(a && b ? a.rss / b.rss : Number.NaN), formatRatio(a && b ? a.anon / b.anon : Number.NaN));
    }
    rows.push(row);
  }
  return markdownTable(
    headers,
    rows,
    headers.map((_, i) => (i === 0 ? 'left' : 'right')),
  );
}

/**
 * What nedis's resident memory is made of, per reading.
 * @param {IdleResult} nedis
 */
export function renderBreakdownTable(nedis) {
  const readings = nedis.readings.filter((r) => r.breakdown !== null);
  if (readings.length === 0) return '';
  const headers = ['part', ...readings.map((r) => `at ${(r.atMs / 1000).toFixed(1)} s`)];
  const row = (/** @type {string} */ name, /** @type {(r: Reading) => string} */ value) => [
    name,
    ...readings.map(value),
  ];
  const b = (/** @type {Reading} */ r) => /** @type {RuntimeBreakdown} */ (r.breakdown);
  const spaceNames = [...new Set(readings.flatMap((r) => b(r).spaces.map((s) => s.name)))];
  const rows = [
    row('RSS', (r) => formatMiB(r.proc.rss)),
    row('· file-backed (node binary, shared libraries)', (r) => formatMiB(r.proc.file)),
    row('· anonymous', (r) => formatMiB(r.proc.anon)),
    row('V8 heap, resident (used)', (r) => `${formatMiB(b(r).heapPhysical)} (${formatMiB(b(r).heapUsed)})`),
    ...spaceNames.map((name) =>
      row(`· ${name}`, (r) => {
        const s = b(r).spaces.find((x) => x.name === name);
        return s ? `${formatMiB(s.physical)} (${formatMiB(s.used)})` : '—';
      }),
    ),
    row('ArrayBuffers (kv-pool pages, index tables, I/O buffers)', (r) => formatMiB(b(r).arrayBuffers)),
    row('external strings (mostly builtins, backed by the binary)', (r) =>
      formatMiB(b(r).external - b(r).arrayBuffers),
    ),
    row("V8's own malloc", (r) => formatMiB(b(r).mallocedByV8)),
    row('rest of anonymous (thread stacks, malloc arenas, node/libuv)', (r) =>
      formatMiB(r.proc.anon - b(r).heapPhysical - b(r).arrayBuffers - b(r).mallocedByV8),
    ),
    row('used_memory (INFO), bytes', (r) => formatInt(r.usedMemory)),
    row('threads', (r) => String(r.proc.threads)),
    row('Lua engines (eval / functions)', (r) => `${b(r).luaEval} / ${b(r).luaFunctions}`),
  ];
  return markdownTable(
    headers,
    rows,
    headers.map((_, i) => (i === 0 ? 'left' : 'right')),
  );
}
