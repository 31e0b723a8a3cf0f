// bench:collections-memory results: memory growth per element for each case, nedis against
// Redis, and whether the ratio meets the case's target.
import { formatFixed, formatInt, formatRatio, markdownTable, pair } from './table.mjs';

/**
 * @typedef {import('./memorySnapshot.mjs').MemorySnapshot} MemorySnapshot
 * @typedef {import('./collectionsDataset.mjs').DatasetCase} DatasetCase
 * @typedef {{ server: 'nedis' | 'redis', caseId: string, empty: MemorySnapshot, loaded: MemorySnapshot,
 *   loadSeconds: number, encoding: string }} CaseMeasurement
 * @typedef {{ rssPerElement: number, usedPerElement: number, rssPerKey: number, usedPerKey: number }} Growth
 */

/**
 * Memory growth of one loaded case, per element and per key.
 * @param {CaseMeasurement} m
 * @param {DatasetCase} c
 * @returns {Growth}
 */
export function growth(m, c) {
  const rss = m.loaded.rssBytes - m.empty.rssBytes;
  const used = m.loaded.usedMemory - m.empty.usedMemory;
  return {
    rssPerElement: rss / c.elements,
    usedPerElement: used / c.elements,
    rssPerKey: rss / c.keys,
    usedPerKey: used / c.keys,
  };
}

/**
 * nedis/Redis ratios of a case and whether both meet its target (null without both servers).
 * @param {Growth | undefined} nedis
 * @param {Growth | undefined} redis
 * @param {number} target
 */
export function verdict(nedis, redis, target) {
  if (!nedis || !redis) return { rssRatio: Number.NaN, usedRatio: Number.NaN, meets: null };
  const rssRatio = nedis.rssPerElement / redis.rssPerElement;
  const usedRatio = nedis.usedPerElement / redis.usedPerElement;
  return { rssRatio, usedRatio, meets: rssRatio <= target && usedRatio <= target };
}

/**
 * @param {readonly DatasetCase[]} cases
 * @param {readonly CaseMeasurement[]} measurements
 */
export function renderCollectionsMemoryTable(cases, measurements) {
  const headers = [
    'case',
    'elements',
    'encoding nedis / redis',
    'RSS B/element nedis / redis',
    'RSS ratio',
    'used_memory B/element nedis / redis',
    'used_memory ratio',
    'target',
    'meets',
  ];
  const rows = cases.map((c) => {
    const of = (/** @type {'nedis' | 'redis'} */ s) => measurements.find((m) => m.server === s && m.caseId === c.id);
    const [n, r] = [of('nedis'), of('redis')];
    const [gn, gr] = [n && growth(n, c), r && growth(r, c)];
    const v = verdict(gn, gr, c.target);
    const show = (/** @type {Growth | undefined} */ g, /** @type {keyof Growth} */ k) =>
      g ? formatFixed(g[k], 1) : '—';
    return [
      `${c.id}: ${c.perKey === null ? c.title : `${formatInt(c.keys)} ${c.title}`}`,
      formatInt(c.elements),
      pair(n?.encoding ?? '—', r?.encoding ?? '—'),
      pair(show(gn, 'rssPerElement'), show(gr, 'rssPerElement')),
      formatRatio(v.rssRatio),
      pair(show(gn, 'usedPerElement'), show(gr, 'usedPerElement')),
      formatRatio(v.usedRatio),
      `≤ ${c.target.toFixed(1)}×`,
      v.meets === null ? '—' : v.meets ? 'yes' : 'NO',
    ];
  });
  return markdownTable(headers, rows, ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left']);
}
