// Pure helpers of bench/notifyLag.mjs: reproducible deadlines, key names, the SET batches that
// load them, the parsing of `expired` events, and lag percentiles.
import { encodeCommand } from './respClient.mjs';

/** Prefix of every volatile key the lag bench writes. */
export const LAG_KEY_PREFIX = 'lag:';

/**
 * mulberry32: a tiny seeded PRNG, so both servers get exactly the same deadlines in a round.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whole-millisecond TTL offsets, uniform in [minMs, maxMs], one per key.
 * @param {number} keys
 * @param {number} minMs
 * @param {number} maxMs
 * @param {number} seed
 */
export function ttlOffsets(keys, minMs, maxMs, seed) {
  const random = seededRandom(seed);
  const offsets = new Float64Array(keys);
  const span = maxMs - minMs + 1;
  for (let i = 0; i < keys; i++) offsets[i] = minMs + Math.floor(random() * span);
  return offsets;
}

/**
 * Pipelined `SET lag:<i> v PXAT <deadline>` (or `PX <ttl>`) commands for keys [from, to).
 * PXAT states the deadline exactly; with PX the server starts the TTL when it reads the
 * command, so the deadline assumed here (send time + TTL) is early by the queueing delay.
 * @param {Float64Array} deadlines absolute deadlines, ms since the epoch
 * @param {number} from
 * @param {number} to
 * @param {'pxat' | 'px'} mode
 * @param {number} nowMs the send time, for PX
 */
export function encodeSetBatch(deadlines, from, to, mode, nowMs) {
  let out = '';
  for (let i = from; i < to; i++) {
    const deadline = /** @type {number} */ (deadlines[i]);
    out +=
      mode === 'pxat'
        ? encodeCommand(['SET', `${LAG_KEY_PREFIX}${i}`, 'v', 'PXAT', deadline])
        : encodeCommand(['SET', `${LAG_KEY_PREFIX}${i}`, 'v', 'PX', Math.max(1, deadline - nowMs)]);
  }
  return Buffer.from(out);
}

/**
 * The key index of an `expired` event's key, or -1 for a key this bench did not write.
 * @param {string} key
 * @param {number} keys
 */
export function keyIndex(key, keys) {
  if (!key.startsWith(LAG_KEY_PREFIX)) return -1;
  const digits = key.slice(LAG_KEY_PREFIX.length);
  if (!/^\d+$/.test(digits)) return -1;
  const i = Number(digits);
  return i < keys ? i : -1;
}

/**
 * The key of a RESP2 `message` push on `channel` (a parsed array), or null for anything else
 * (the SUBSCRIBE confirmation, another channel).
 * @param {unknown} frame
 * @param {string} channel
 */
export function expiredEventKey(frame, channel) {
  if (!Array.isArray(frame) || frame.length !== 3 || frame[0] !== 'message' || frame[1] !== channel) return null;
  return typeof frame[2] === 'string' ? frame[2] : null;
}

/**
 * Nearest-rank percentile of ascending-sorted values (Infinity allowed: missing events).
 * @param {Float64Array | readonly number[]} sorted
 * @param {number} p in (0, 100]
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return /** @type {number} */ (sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]);
}

/**
 * Lag statistics over every key: a key whose event never came counts as an infinite lag, so a
 * percentile that reaches the missing ones says so instead of looking good.
 * @param {Float64Array} deadlines ms since the epoch
 * @param {Float64Array} arrivals ms since the epoch; NaN where no event arrived
 */
export function lagSummary(deadlines, arrivals) {
  const lags = new Float64Array(deadlines.length);
  let received = 0;
  let sum = 0;
  for (let i = 0; i < deadlines.length; i++) {
    const arrival = /** @type {number} */ (arrivals[i]);
    if (Number.isNaN(arrival)) {
      lags[i] = Number.POSITIVE_INFINITY;
    } else {
      const lag = arrival - /** @type {number} */ (deadlines[i]);
      lags[i] = lag;
      sum += lag;
      received++;
    }
  }
  lags.sort();
  return {
    keys: deadlines.length,
    received,
    missing: deadlines.length - received,
    minMs: received > 0 ? /** @type {number} */ (lags[0]) : Number.NaN,
    meanMs: received > 0 ? sum / received : Number.NaN,
    p50Ms: percentile(lags, 50),
    p90Ms: percentile(lags, 90),
    p99Ms: percentile(lags, 99),
    p999Ms: percentile(lags, 99.9),
    maxMs: percentile(lags, 100),
  };
}

/** @typedef {ReturnType<typeof lagSummary>} LagSummary */
