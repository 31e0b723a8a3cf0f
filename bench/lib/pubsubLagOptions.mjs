// Command-line flags of bench/notifyLag.mjs.
import { parseArgs } from 'node:util';
import { intInRange, SHARED_OPTIONS, serverFlagsHelp, sharedSettings } from './pubsubOptions.mjs';

export const NOTIFY_LAG_HELP = `Usage: node bench/notifyLag.mjs [options]     (or: pnpm bench:notify-lag -- [options])

Writes N volatile keys whose deadlines are spread over the next seconds, listens on
__keyevent@0__:expired (notify-keyspace-events Ex) and measures, per key, how late its expired
event arrives after its deadline — nedis and redis-server one at a time, alternating by round.

  --keys <n>            volatile keys per run                          (default 100000)
  --min-ttl-ms <n>      earliest deadline, ms after loading starts      (default 1000)
  --max-ttl-ms <n>      latest deadline, ms after loading starts        (default 10000)
  --grace-ms <n>        how long to wait for events after the latest deadline (default 10000)
  --set-mode <mode>     pxat (exact deadlines) or px (deadline = send time + TTL) (default pxat)
  --batch <n>           SET commands per pipelined write               (default 1000)
  --idle-ms <n>         server CPU is first measured idle for this long (default 1000)
  --seed <n>            seed of the deadlines (the same for both servers in a round; +round) (default 1)
  --rounds <n>          rounds; medians are reported                   (default 1)
  --server-cpu <n>      CPU both servers are pinned to                 (default 1)
  --client-cpu <n>      accepted for symmetry with pubsub.mjs; the listener runs in this process, unpinned
  --no-pin              do not use taskset
  --json                print JSON (machine + settings + every run + medians) instead of the table
${serverFlagsHelp()}`;

/** @param {string[]} argv */
export function parseNotifyLagOptions(argv) {
  const { values } = parseArgs({
    // pnpm 10 passes the `--` of `pnpm bench:x -- --flag` through to the script.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      ...SHARED_OPTIONS,
      keys: { type: 'string', default: '100000' },
      'min-ttl-ms': { type: 'string', default: '1000' },
      'max-ttl-ms': { type: 'string', default: '10000' },
      'grace-ms': { type: 'string', default: '10000' },
      'set-mode': { type: 'string', default: 'pxat' },
      batch: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      'idle-ms': { type: 'string', default: '1000' },
    },
    strict: true,
    allowPositionals: false,
  });
  const minTtlMs = intInRange(values['min-ttl-ms'], '--min-ttl-ms', 1, 600_000);
  const maxTtlMs = intInRange(values['max-ttl-ms'], '--max-ttl-ms', 1, 600_000);
  if (maxTtlMs < minTtlMs) throw new Error('--max-ttl-ms must be ≥ --min-ttl-ms');
  const setMode = values['set-mode'];
  if (setMode !== 'pxat' && setMode !== 'px') throw new Error(`--set-mode must be pxat or px, got '${setMode}'`);
  return {
    ...sharedSettings(values, '1'),
    keys: intInRange(values.keys, '--keys', 1, 10_000_000),
    minTtlMs,
    maxTtlMs,
    graceMs: intInRange(values['grace-ms'], '--grace-ms', 0, 600_000),
    setMode: /** @type {'pxat' | 'px'} */ (setMode),
    batch: intInRange(values.batch, '--batch', 1, 100_000),
    seed: intInRange(values.seed, '--seed', 0, 2 ** 31 - 1),
    idleMs: intInRange(values['idle-ms'], '--idle-ms', 0, 60_000),
  };
}

/** @typedef {ReturnType<typeof parseNotifyLagOptions>} NotifyLagOptions */
