/**
 * Redis's approximated LRU and LFU bookkeeping (evict.c), kept in the low 24 bits of a slot's
 * meta word:
 * - LRU: a 24-bit clock in seconds (LRU_CLOCK_RESOLUTION 1000 ms), wrapping every ~194 days.
 * - LFU: 16 bits of "last decrement time" in minutes and an 8-bit logarithmic counter.
 */

export const LRU_CLOCK_MAX = 0xffffff;
export const LRU_CLOCK_RESOLUTION_MS = 1000;
/** New objects start with this LFU counter so they are not evicted before they get a chance. */
export const LFU_INIT_VAL = 5;

/** The 24-bit LRU clock for a time in ms. */
export function lruClockAt(ms: number): number {
  return Math.floor(ms / LRU_CLOCK_RESOLUTION_MS) & LRU_CLOCK_MAX;
}

/** Idle time in ms of an object with LRU field `lru` at clock `clock` (`estimateObjectIdleTime`). */
export function estimateIdleTimeMs(clock: number, lru: number): number {
  const ticks = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
  return ticks * LRU_CLOCK_RESOLUTION_MS;
}

/** Minutes modulo 2^16 for a time in ms (`LFUGetTimeInMinutes`). */
export function lfuMinutesAt(ms: number): number {
  return Math.floor(ms / 60000) & 0xffff;
}

/** The LFU field of a new object. */
export function lfuInitial(minutes: number): number {
  return (minutes << 8) | LFU_INIT_VAL;
}

/** The counter after decay (`LFUDecrAndReturn`). */
export function lfuDecrAndReturn(field: number, minutes: number, decayTime: number): number {
  const ldt = field >>> 8;
  const counter = field & 255;
  const elapsed = minutes >= ldt ? minutes - ldt : 65535 - ldt + minutes;
  const periods = decayTime > 0 ? Math.floor(elapsed / decayTime) : 0;
  if (periods === 0) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** Logarithmic increment (`LFULogIncr`): the more hits, the less likely another increment. */
export function lfuLogIncr(counter: number, logFactor: number): number {
  if (counter === 255) return 255;
  const r = Math.random();
  let base = counter - LFU_INIT_VAL;
  if (base < 0) base = 0;
  const p = 1 / (base * logFactor + 1);
  return r < p ? counter + 1 : counter;
}

/** The LFU field after an access (`updateLFU`). */
export function lfuTouch(field: number, minutes: number, decayTime: number, logFactor: number): number {
  const counter = lfuLogIncr(lfuDecrAndReturn(field, minutes, decayTime), logFactor);
  return (minutes << 8) | counter;
}
