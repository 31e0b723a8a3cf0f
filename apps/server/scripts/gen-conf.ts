import type { ConfigOption } from "../src/config/ConfigOption.js";
import { CLUSTER_OPTIONS } from "../src/config/tables/clusterOptions.js";
import { GENERAL_OPTIONS } from "../src/config/tables/generalOptions.js";
import { MEMORY_OPTIONS } from "../src/config/tables/memoryOptions.js";
import { NETWORK_OPTIONS } from "../src/config/tables/networkOptions.js";
import { PERSISTENCE_OPTIONS } from "../src/config/tables/persistenceOptions.js";
import { REPLICATION_OPTIONS } from "../src/config/tables/replicationOptions.js";

/**
 * Renders apps/server/nedis.conf from the config table, so the sample cannot drift from what the
 * server accepts: every option (hidden debugging knobs aside) with its default, its choices where
 * the table knows them, and whether CONFIG SET can change it. `pnpm --filter nedis-server
 * gen:conf` rewrites the file; test/process-sample-conf.test.ts fails when it is stale.
 */
const SECTIONS: readonly [string, readonly ConfigOption[]][] = [
  ["NETWORK", NETWORK_OPTIONS],
  ["GENERAL: process, logging, security, monitoring", GENERAL_OPTIONS],
  ["MEMORY", MEMORY_OPTIONS],
  ["PERSISTENCE", PERSISTENCE_OPTIONS],
  ["REPLICATION", REPLICATION_OPTIONS],
  ["CLUSTER", CLUSTER_OPTIONS],
];

/** What the process options do (the ones a service manager's config needs explained). */
const NOTES: Record<string, string[]> = {
  daemonize: [
    "Run in the background: nedis starts itself again detached (a new session, stdio on",
    "/dev/null) and the command returns once that copy listens, or fails with its status.",
    "Ignored when supervised (systemd or upstart), as in Redis.",
  ],
  supervised: [
    "systemd: report STATUS=/READY=1/STOPPING=1 on NOTIFY_SOCKET (Type=notify units; sent by",
    "systemd-notify, else python3: the unit needs NotifyAccess=all). upstart: stop with SIGSTOP",
    "once ready. auto: whichever UPSTART_JOB or NOTIFY_SOCKET says. no: not supervised.",
  ],
  pidfile: [
    "Written at start (with or without daemonize) and removed at a clean exit. Daemonized",
    "without one, nedis writes Redis's default /var/run/redis.pid.",
  ],
  loglevel: ["debug, verbose, notice or warning (Redis 7.0's levels)."],
  logfile: [
    'Append log lines to this file ("" = standard output, /dev/null when daemonized). The file',
    "is opened for each line, so rotating it needs no signal. It must be writable at start.",
  ],
  "strict-config": [
    "nedis only. yes: a value nedis does not support yet (see docs/config.md) in this file or",
    "on the command line stops the start, naming the option. no: it is logged and ignored (the",
    "default kept), for migrating a big redis.conf. Read before the other lines.",
  ],
  "syslog-enabled": [
    "Also send log lines to the system log, through the `logger` program (util-linux), which",
    "must be on the PATH (and allowed by ExecPaths= in a hardened systemd unit).",
  ],
};

const choicesOf = (opt: ConfigOption): string | null => {
  const probe = opt.kind.parse(["\u0000"], { current: undefined, appending: false, command: false });
  if (probe.ok) return null;
  if (probe.error === "argument must be 'yes' or 'no'") return "yes | no";
  const listed = /^argument\(s\) must be one of the following: (.*)$/.exec(probe.error);
  return listed === null ? null : listed[1]!.split(", ").join(" | ");
};

const quoted = (opt: ConfigOption): string => {
  const text = opt.defaultText;
  if (text === "") return '""';
  return !opt.multiArg && /[\s"'\\]/.test(text) ? JSON.stringify(text) : text;
};

export function renderSampleConfig(): string {
  const out: string[] = [
    "# nedis.conf: every option nedis reads, each at its default (commented out).",
    "#",
    "# GENERATED from the config table (apps/server/src/config/tables) by",
    "# `pnpm --filter nedis-server gen:conf`: do not edit by hand.",
    "#",
    "# The format is Redis 7.0's redis.conf: `name value...`, one per line, quotes as in",
    "# redis.conf, `include /path/other.conf`, units 1k/1kb/1m/1mb/1g/1gb for sizes. Start with",
    "#   nedis-server /path/to/nedis.conf [--name value ...]",
    "# Options marked (startup only) cannot be changed by CONFIG SET; (not yet supported) ones",
    "# accept only their default; (inert) ones are accepted but change nothing in nedis.",
    "",
  ];
  for (const [title, options] of SECTIONS) {
    out.push(`################################ ${title} ################################`, "");
    for (const opt of options) {
      if (opt.hidden) continue;
      const facts: string[] = [];
      const choices = choicesOf(opt);
      if (choices !== null) facts.push(choices);
      if (!opt.mutable) facts.push("startup only");
      if (opt.status.kind === "inert") facts.push("inert: accepted, no effect in nedis");
      if (opt.status.kind === "not yet supported") facts.push("not yet supported: only the default is accepted");
      if (opt.aliases?.length) facts.push(`alias: ${opt.aliases.join(", ")}`);
      for (const note of NOTES[opt.name] ?? []) out.push(`# ${note}`);
      if (facts.length > 0) out.push(`# (${facts.join("; ")})`);
      out.push(`# ${opt.name} ${quoted(opt)}`, "");
    }
  }
  return out.join("\n");
}
