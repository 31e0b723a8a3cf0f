// Per-process CPU time and memory straight from /proc, so each server's cost is measured by
// the kernel rather than by the server's own (possibly wrong) accounting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicksPerSecond = 0;

/** Kernel clock ticks per second (USER_HZ, nearly always 100). */
export function clockTicks() {
  if (clockTicksPerSecond === 0) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      clockTicksPerSecond = 0;
    }
    if (!Number.isFinite(clockTicksPerSecond) || clockTicksPerSecond <= 0) clockTicksPerSecond = 100;
  }
  return clockTicksPerSecond;
}

/**
 * Parses the text of /proc/<pid>/stat into user and system CPU ticks (all threads).
 * The command name (field 2) may contain spaces and parentheses, so fields are counted
 * from the last ')'.
 * @param {string} text
 * @returns {{ utimeTicks: number, stimeTicks: number }}
 */
export function parseProcStat(text) {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('malformed /proc/<pid>/stat');
  // rest[0] is field 3 (state); utime is field 14, stime field 15.
  const rest = text.slice(close + 2).split(' ');
  const utimeTicks = Number(rest[11]);
  const stimeTicks = Number(rest[12]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks)) {
    throw new Error('malformed /proc/<pid>/stat');
  }
  return { utimeTicks, stimeTicks };
}

/**
 * CPU time (user + system, all threads) the process has used so far, in microseconds.
 * Resolution is one clock tick (10 ms at USER_HZ=100).
 * @param {number} pid
 */
export function readCpuMicros(pid) {
  const { utimeTicks, stimeTicks } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return ((utimeTicks + stimeTicks) * 1e6) / clockTicks();
}

/**
 * Parses VmRSS and VmHWM (peak RSS) out of /proc/<pid>/status, in bytes.
 * @param {string} text
 * @returns {{ rssBytes: number, peakRssBytes: number }}
 */
export function parseProcStatus(text) {
  const kib = (/** @type {string} */ name) => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** @param {number} pid */
export function readMemory(pid) {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** @param {number} pid */
export function readCommName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
