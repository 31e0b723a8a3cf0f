// A description of the machine a result was taken on, printed beside every table.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** @param {string[]} argv */
function versionOf(argv) {
  try {
    const [file, ...args] = argv;
    return (
      execFileSync(/** @type {string} */ (file), args, { encoding: 'utf8', timeout: 10_000 })
        .trim()
        .split('\n')[0] ?? ''
    );
  } catch {
    return 'unknown';
  }
}

/** @param {{ nedisCommand?: string[] }} [options] */
export function describeMachine(options = {}) {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) cpuModel = match[1].trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  const nedisNode =
    options.nedisCommand && /node/.test(options.nedisCommand[0] ?? '')
      ? versionOf([options.nedisCommand[0] ?? 'node', '--version'])
      : null;
  const loadAverage = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return {
    date: new Date().toISOString(),
    loadAverage,
    nproc: os.availableParallelism(),
    cpuModel,
    kernel: `${os.type()} ${os.release()}`,
    totalMemoryBytes: os.totalmem(),
    harnessNode: process.version,
    nedisNode,
    redisServer: versionOf(['redis-server', '--version']),
    redisBenchmark: versionOf(['redis-benchmark', '--version']),
  };
}

/** @param {ReturnType<typeof describeMachine>} m */
export function machineLines(m) {
  return [
    `- date: ${m.date}`,
    `- machine: ${m.nproc} CPUs, ${m.cpuModel}, ${(m.totalMemoryBytes / 2 ** 30).toFixed(0)} GiB, ${m.kernel}; load average at start ${m.loadAverage}`,
    `- node (nedis): ${m.nedisNode ?? 'n/a (custom nedis command)'}; node (harness): ${m.harnessNode}`,
    `- ${m.redisServer}`,
    `- ${m.redisBenchmark}`,
  ];
}
