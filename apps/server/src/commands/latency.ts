import type { Client } from "../net/Client.js";
import type { HdrHistogram } from "../observe/HdrHistogram.js";
import { latencyDoctorReport } from "../observe/latencyDoctor.js";
import { observersOf } from "../observe/ServerObservers.js";
import type { ServerContext } from "../ServerContext.js";
import { type CommandHandler, type CommandSpec, defineCommand } from "./CommandSpec.js";
import { replyHelp } from "./help.js";

const LATENCY_HELP = [
  "DOCTOR",
  "    Return a human readable latency analysis report.",
  "GRAPH <event>",
  "    Return an ASCII latency graph for the <event> class.",
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
  "HISTOGRAM [COMMAND ...]",
  "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
  "    If no commands are specified then all histograms are replied.",
];

/** fillCommandCDF: `calls` and the cumulative buckets of one command's histogram. */
function writeCdf(client: Client, name: string, h: HdrHistogram): void {
  const w = client.writer;
  w.bulkString(name);
  w.mapHeader(2);
  w.bulkString("calls");
  w.integer(h.totalCount);
  w.bulkString("histogram_usec");
  const buckets = h.cumulativeBuckets();
  w.mapHeader(buckets.length);
  for (const b of buckets) {
    w.integer(b.usec);
    w.integer(b.count);
  }
}

/** LATENCY HISTOGRAM [command ...]: every command with calls, or the named ones (and their subcommands). */
const latencyHistogram: CommandHandler = (server, client, args) => {
  const histograms = observersOf(server).histograms;
  const entries: { name: string; h: HdrHistogram }[] = [];
  const add = (cmd: CommandSpec, name: string) => {
    const h = histograms.of(cmd.id);
    if (h !== undefined) entries.push({ name, h });
  };
  const addWithSubcommands = (cmd: CommandSpec) => {
    add(cmd, cmd.name);
    for (const s of cmd.subcommands ?? []) add(s, `${cmd.name}|${s.name}`);
  };
  if (args.argc === 2) {
    for (const cmd of server.commands.commands) addWithSubcommands(cmd);
  } else {
    for (let j = 2; j < args.argc; j++) {
      const found = lookupFullName(server, args.argString(j));
      if (found === null) continue;
      if (found.sub === null) addWithSubcommands(found.cmd);
      else add(found.sub, `${found.cmd.name}|${found.sub.name}`);
    }
  }
  client.writer.mapHeader(entries.length);
  for (const e of entries) writeCdf(client, e.name, e.h);
};

/** Redis's lookupCommandBySds: `name` or `container|sub`, case-insensitively. */
function lookupFullName(server: ServerContext, name: string): { cmd: CommandSpec; sub: CommandSpec | null } | null {
  const parts = name.toLowerCase().split("|");
  if (parts.length > 2) return null;
  const cmd = server.commands.byName(parts[0]!);
  if (cmd === undefined) return null;
  if (parts.length === 1) return { cmd, sub: null };
  const sub = cmd.subcommands?.find((s) => s.name === parts[1]);
  return sub === undefined ? null : { cmd, sub };
}

/** LATENCY: the latency monitor's events and the per-command latency histograms (latency.c). */
export const latencyCommands = [
  defineCommand({
    name: "latency",
    handler: () => {},
    subcommands: [
      defineCommand({
        name: "doctor",
        handler: (server, client) => {
          const config = server.config;
          client.writer.verbatim(
            latencyDoctorReport(observersOf(server).latency, {
              latencyMonitorThreshold: config.number("latency-monitor-threshold"),
              slowlogLogSlowerThan: config.number("slowlog-log-slower-than"),
              hz: config.number("hz"),
              appendfsyncAlways: config.string("appendfsync") === "always",
            }),
          );
        },
      }),
      defineCommand({
        name: "graph",
        handler: (server, client, args) => {
          const monitor = observersOf(server).latency;
          const event = args.argString(2);
          const ts = monitor.events.get(event);
          if (ts === undefined) return client.writer.error(`ERR No samples available for event '${event}'`);
          client.writer.verbatim(monitor.graph(event, ts));
        },
      }),
      defineCommand({ name: "histogram", handler: latencyHistogram }),
      defineCommand({
        name: "history",
        handler: (server, client, args) => {
          const ts = observersOf(server).latency.events.get(args.argString(2));
          const w = client.writer;
          if (ts === undefined) return w.arrayHeader(0);
          const samples: [number, number][] = [];
          ts.forEachSample((time, latency) => samples.push([time, latency]));
          w.arrayHeader(samples.length);
          for (const [time, latency] of samples) {
            w.arrayHeader(2);
            w.integer(time);
            w.integer(latency);
          }
        },
      }),
      defineCommand({
        name: "latest",
        handler: (server, client) => {
          const w = client.writer;
          const events = observersOf(server).latency.events;
          w.arrayHeader(events.size);
          for (const [event, ts] of events) {
            const last = ts.lastIndex;
            w.arrayHeader(4);
            w.bulkString(event);
            w.integer(ts.times[last]!);
            w.integer(ts.latencies[last]!);
            w.integer(ts.max);
          }
        },
      }),
      defineCommand({
        name: "reset",
        handler: (server, client, args) => {
          const monitor = observersOf(server).latency;
          if (args.argc === 2) return client.writer.integer(monitor.reset(null));
          let resets = 0;
          for (let j = 2; j < args.argc; j++) resets += monitor.reset(args.argString(j));
          client.writer.integer(resets);
        },
      }),
      defineCommand({
        name: "help",
        handler: (_server, client) => replyHelp(client, "LATENCY", LATENCY_HELP),
      }),
    ],
  }),
];
