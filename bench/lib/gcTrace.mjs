// Pauses in node's --trace-gc output: the main-thread time V8 prints for every collection, the
// way packages/keyspace/bench/gc-pauses.mjs reads them for the strings benchmark.
import { percentile } from './stats.mjs';

/**
 * @typedef {{ kind: string, ms: number }} GcPause
 * @typedef {{ phase: string, kind: string, count: number, p50: number, p99: number, max: number }} PauseRow
 */

/** `[pid:0x…]  1234 ms: Scavenge 12.3 (14.0) -> 11.1 (15.0) MB, 1.23 / 0.00 ms  …` */
const TRACE_LINE = /\d+ ms: ([A-Za-z-]+)(?: \([^)]*\))? .*?MB, ([\d.]+) \/ [\d.]+ ms/;

/**
 * Every pause in a piece of trace output: collector name (Scavenge, Mark-Compact, …) and the
 * main-thread pause in ms.
 * @param {string} text
 * @returns {GcPause[]}
 */
export function parseGcTrace(text) {
  /** @type {GcPause[]} */
  const pauses = [];
  for (const line of text.split('\n')) {
    const m = TRACE_LINE.exec(line);
    if (m?.[1] && m[2]) pauses.push({ kind: m[1], ms: Number(m[2]) });
  }
  return pauses;
}

/**
 * Count, p50, p99 and max per collector of one phase's pauses.
 * @param {string} phase
 * @param {readonly GcPause[]} pauses
 * @returns {PauseRow[]}
 */
export function pauseRows(phase, pauses) {
  /** @type {Map<string, number[]>} */
  const byKind = new Map();
  for (const p of pauses) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p.ms]);
  return [...byKind].map(([kind, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return {
      phase,
      kind,
      count: sorted.length,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: /** @type {number} */ (sorted.at(-1)),
    };
  });
}

/**
 * The node flags go right after the node binary of a nedis command; a command that does not
 * start with node (e.g. redis-server standing in for nedis) is returned unchanged, with false.
 * @param {readonly string[]} command
 * @param {readonly string[]} nodeFlags
 */
export function withNodeFlags(command, nodeFlags) {
  const [binary, ...rest] = command;
  if (binary === undefined || !/(^|\/)node[^/]*$/.test(binary)) return { command: [...command], traced: false };
  return { command: [binary, ...nodeFlags, ...rest], traced: true };
}
