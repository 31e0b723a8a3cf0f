// Renders bench:memory results: bytes per key for each server side by side, and the ratio.
import { formatFixed, formatInt, formatMiB, formatRatio, markdownTable } from './table.mjs';

/**
 * @typedef {import('./memorySnapshot.mjs').MemorySnapshot} MemorySnapshot
 * @typedef {{ name: 'nedis' | 'redis', loader: 'mset' | 'set', empty: MemorySnapshot, loaded: MemorySnapshot,
 *   loadSeconds: number, churned: MemorySnapshot | null, churnSeconds: number | null, error: string | null }} MemoryResult
 */

/**
 * @param {readonly MemoryResult[]} results
 * @param {{ keys: number, churnPasses: number }} o
 */
export function renderMemoryTable(results, o) {
  const perKey = (/** @type {number} */ bytes) => bytes / o.keys;
  /** @type {{ label: string, value: (r: MemoryResult) => number, show: (n: number) => string, noRatio?: boolean }[]} */
  const metrics = [
    { label: 'keys (DBSIZE)', value: (r) => r.loaded.dbsize, show: formatInt, noRatio: true },
    { label: 'empty server RSS', value: (r) => r.empty.rssBytes, show: formatMiB },
    { label: 'RSS after load', value: (r) => r.loaded.rssBytes, show: formatMiB },
    { label: 'RSS bytes/key', value: (r) => perKey(r.loaded.rssBytes), show: (n) => formatFixed(n, 1) },
    {
      label: 'RSS − empty RSS, bytes/key',
      value: (r) => perKey(r.loaded.rssBytes - r.empty.rssBytes),
      show: (n) => formatFixed(n, 1),
    },
    { label: 'used_memory after load', value: (r) => r.loaded.usedMemory, show: formatMiB },
    { label: 'used_memory bytes/key', value: (r) => perKey(r.loaded.usedMemory), show: (n) => formatFixed(n, 1) },
    {
      label: 'used_memory − empty, bytes/key',
      value: (r) => perKey(r.loaded.usedMemory - r.empty.usedMemory),
      show: (n) => formatFixed(n, 1),
    },
    { label: 'mem_fragmentation_ratio', value: (r) => r.loaded.fragmentationRatio, show: (n) => formatFixed(n, 2) },
    { label: 'load rate, keys/s', value: (r) => o.keys / r.loadSeconds, show: formatInt },
  ];
  if (results.some((r) => r.churned !== null)) {
    const churned = (/** @type {(s: MemorySnapshot) => number} */ f) => (/** @type {MemoryResult} */ r) =>
      r.churned ? f(r.churned) : Number.NaN;
    metrics.push(
      { label: `RSS after ${o.churnPasses}× overwrite`, value: churned((s) => s.rssBytes), show: formatMiB },
      {
        label: 'RSS bytes/key after overwrite',
        value: churned((s) => perKey(s.rssBytes)),
        show: (n) => formatFixed(n, 1),
      },
      { label: 'used_memory after overwrite', value: churned((s) => s.usedMemory), show: formatMiB },
      {
        label: 'used_memory bytes/key after overwrite',
        value: churned((s) => perKey(s.usedMemory)),
        show: (n) => formatFixed(n, 1),
      },
      {
        label: 'mem_fragmentation_ratio after overwrite',
        value: churned((s) => s.fragmentationRatio),
        show: (n) => formatFixed(n, 2),
      },
      { label: 'peak RSS (VmHWM)', value: churned((s) => s.peakRssBytes), show: formatMiB },
      {
        label: 'overwrite rate, keys/s',
        value: (r) => (r.churnSeconds ? (o.keys * o.churnPasses) / r.churnSeconds : Number.NaN),
        show: formatInt,
      },
    );
  } else {
    metrics.push({ label: 'peak RSS (VmHWM)', value: (r) => r.loaded.peakRssBytes, show: formatMiB });
  }
  const nedis = results.find((r) => r.name === 'nedis');
  const redis = results.find((r) => r.name === 'redis');
  const headers = ['metric', ...results.map((r) => r.name), ...(nedis && redis ? ['nedis / redis'] : [])];
  const rows = metrics.map((m) => [
    m.label,
    ...results.map((r) => m.show(m.value(r))),
    ...(nedis && redis ? [m.noRatio ? '' : formatRatio(m.value(nedis) / m.value(redis))] : []),
  ]);
  return markdownTable(headers, rows, ['left', ...headers.slice(1).map(() => /** @type {const} */ ('right'))]);
}
