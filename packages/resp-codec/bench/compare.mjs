// Interleaved comparison: every round measures each candidate once (mitata `measure`), so slow
// drifts of a shared machine hit all of them alike; ratios are medians of per-round ratios.
import { measure } from "mitata";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * @param {string} title
 * @param {{ units: number, unitName: string, bytes: number }} work what one call processes
 * @param {{ name: string, run: () => void }[]} candidates the first is the reference for ratios
 * @param {{ rounds?: number, cpuTimeMs?: number }} [options]
 */
export async function compare(title, work, candidates, options = {}) {
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const cpuTime = (options.cpuTimeMs ?? Number(process.env.BENCH_MS ?? 300)) * 1e6;
  const times = candidates.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < candidates.length; i++) {
      const stats = await measure(candidates[i].run, { min_cpu_time: cpuTime });
      times[i].push(stats.avg);
    }
  }
  const rows = candidates.map((c, i) => {
    const ns = median(times[i]);
    const ratio = median(times[i].map((t, r) => t / times[0][r]));
    return {
      name: c.name,
      time: ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`,
      perSec: work.units / (ns / 1e9),
      mbs: work.bytes / (ns / 1e9) / 1e6,
      ratio,
    };
  });
  console.log(`\n### ${title}\n`);
  console.log(`| implementation | time / call | ${work.unitName}/s | MB/s | time vs ${candidates[0].name} |`);
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const perSec = r.perSec >= 1e6 ? `${(r.perSec / 1e6).toFixed(2)} M` : `${(r.perSec / 1e3).toFixed(1)} k`;
    console.log(`| ${r.name} | ${r.time} | ${perSec} | ${r.mbs.toFixed(0)} | ${r.ratio.toFixed(2)}× |`);
  }
  return rows;
}
