// The measuring loop bench:compare and bench:collections share: calibrate -n per server and cell,
// then rounds in which every cell runs once on each server, the first server alternating.
import { SERVER_NAMES } from './compareReport.mjs';
import { calibrateRequests, measuredRun } from './measuredRun.mjs';
import { log } from './runMain.mjs';
import { formatInt } from './table.mjs';

/**
 * @typedef {import('./compareReport.mjs').Cell} Cell
 * @typedef {import('./measuredRun.mjs').RunShape} RunShape
 * @typedef {import('./servers.mjs').RunningServer} RunningServer
 * @typedef {(server: RunningServer, cell: Cell, requests: number) => Promise<void>} PrepareRun
 *   puts `server` in the starting state of one run of `cell` (not measured); throws on failure
 */

/**
 * Empty cells for every test × pipeline depth, in that order.
 * @param {readonly string[]} tests
 * @param {readonly number[]} pipelines
 * @param {number | null} requests fixed -n, or null to calibrate
 * @returns {Cell[]}
 */
export function emptyCells(tests, pipelines, requests) {
  /** @type {Cell[]} */
  const cells = [];
  for (const test of tests) {
    for (const pipeline of pipelines) {
      cells.push({
        test,
        pipeline,
        servers: {
          nedis: { requests, error: null, runs: [] },
          redis: { requests, error: null, runs: [] },
        },
      });
    }
  }
  return cells;
}

/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/**
 * Calibrates (when `options.requests` is null) and runs `options.rounds` rounds over `cells`,
 * filling each cell's runs and errors in place.
 * @param {Record<'nedis' | 'redis', RunningServer>} servers
 * @param {Cell[]} cells
 * @param {(cell: Cell) => RunShape} shapeOf
 * @param {{ requests: number | null, seconds: number, rounds: number }} options
 * @param {PrepareRun} [prepare]
 */
export async function runCompareRounds(servers, cells, shapeOf, options, prepare) {
  if (options.requests === null) {
    for (const cell of cells) {
      for (const name of SERVER_NAMES) {
        const before = prepare ? (/** @type {number} */ n) => prepare(servers[name], cell, n) : undefined;
        const result = await calibrateRequests(servers[name], shapeOf(cell), options.seconds, before).catch(
          (err) => /** @type {const} */ ({ ok: false, error: `preparing the run failed: ${messageOf(err)}` }),
        );
        if (result.ok) {
          cell.servers[name].requests = result.requests;
          log(
            `calibrated ${cell.test} P=${cell.pipeline} ${name}: ~${formatInt(result.probeRps)} ops/s → -n ${result.requests}`,
          );
        } else {
          cell.servers[name].error = result.error;
          log(`calibration failed for ${cell.test} P=${cell.pipeline} on ${name}: ${result.error.split('\n')[0]}`);
        }
      }
    }
  }

  const runTimeoutMs = Math.max(60_000, options.seconds * 15_000);
  for (let round = 1; round <= options.rounds; round++) {
    // Alternate which server goes first so neither always runs right after the other.
    const order = round % 2 === 1 ? SERVER_NAMES : [...SERVER_NAMES].reverse();
    for (const cell of cells) {
      for (const name of order) {
        const serverCell = cell.servers[name];
        if (serverCell.error !== null || serverCell.requests === null) continue;
        const requests = serverCell.requests;
        const prepared = prepare
          ? await prepare(servers[name], cell, requests).then(
              () => null,
              (err) => `preparing the run failed: ${messageOf(err)}`,
            )
          : null;
        const run =
          prepared === null
            ? await measuredRun(servers[name], shapeOf(cell), requests, runTimeoutMs)
            : /** @type {const} */ ({ ok: false, requests, error: prepared });
        serverCell.runs.push({ ...run, round });
        if (run.ok) {
          // A probe taken while the machine was busier underestimates -n; grow it (never
          // shrink) so later rounds still last at least the target time.
          const slowest = Math.min(...run.rows.map((r) => r.rps));
          if (options.requests === null && run.benchmarkSeconds < options.seconds * 0.95) {
            serverCell.requests = Math.max(
              requests,
              Math.ceil((slowest * options.seconds * 1.15) / run.rows.length / 1_000) * 1_000,
            );
          }
          const rates = run.rows.map((r) => `${formatInt(r.rps)} ops/s`).join(', ');
          log(
            `round ${round}/${options.rounds} ${cell.test} P=${cell.pipeline} ${name}: ${rates} in ${(run.wallMs / 1000).toFixed(1)} s`,
          );
        } else {
          serverCell.error = run.error;
          log(
            `round ${round}/${options.rounds} ${cell.test} P=${cell.pipeline} ${name} failed: ${run.error.split('\n')[0]}`,
          );
        }
      }
    }
  }
}
