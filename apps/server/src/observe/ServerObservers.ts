import { performance } from "node:perf_hooks";
import { CMD, type CommandArgs, type CommandSpec } from "../commands/CommandSpec.js";
import type { Client } from "../net/Client.js";
import { PerServer } from "../perServer.js";
import type { ServerContext } from "../ServerContext.js";
import { DebugFlags } from "./DebugFlags.js";
import { LatencyHistograms } from "./LatencyHistograms.js";
import { LatencyMonitor } from "./LatencyMonitor.js";
import { MemoryTracker } from "./MemoryReport.js";
import { MonitorFeed } from "./MonitorFeed.js";
import { REDACTING_COMMANDS, redactedArguments } from "./redaction.js";
import { SlowLog } from "./SlowLog.js";
import { TrafficCounters } from "./TrafficCounters.js";

/**
 * What watches executed commands, as Redis's `call()` does after running one: the latency
 * histograms (INFO latencystats, LATENCY HISTOGRAM), the latency monitor's "command" and
 * "fast-command" events, the slow log and the MONITOR feed. Installed as the server's
 * `commandObserver`; settings are cached from the config and refreshed by CONFIG SET.
 */
export class ServerObservers {
  readonly slowlog = new SlowLog();
  readonly latency = new LatencyMonitor();
  readonly histograms = new LatencyHistograms();
  readonly monitor = new MonitorFeed();
  readonly debug = new DebugFlags();
  readonly memory: MemoryTracker;
  readonly traffic: TrafficCounters;
  /** Replication ids (INFO replication); DEBUG CHANGE-REPL-ID renews `replid`. */
  replid = randomHex40();
  replid2 = "0".repeat(40);

  private slowerThan: number;
  private slowlogMaxLen: number;
  private latencyThreshold: number;
  private tracking: boolean;
  private resetId = -1;
  private calls = 0;
  private lastPeriodic = 0;

  constructor(private readonly server: ServerContext) {
    const config = server.config;
    for (const cmd of server.commands.commands) if (cmd.name === "reset") this.resetId = cmd.id;
    this.slowerThan = config.number("slowlog-log-slower-than");
    this.slowlogMaxLen = config.number("slowlog-max-len");
    this.latencyThreshold = config.number("latency-monitor-threshold");
    this.tracking = config.bool("latency-tracking");
    config.onChange("slowlog-log-slower-than", (v) => void (this.slowerThan = v as number));
    config.onChange("slowlog-max-len", (v) => void (this.slowlogMaxLen = v as number));
    config.onChange("latency-monitor-threshold", (v) => void (this.latencyThreshold = v as number));
    config.onChange("latency-tracking", (v) => void (this.tracking = v as boolean));
    this.memory = new MemoryTracker(server);
    this.traffic = new TrafficCounters(server);
    // CONFIG RESETSTAT clears the histograms and the traffic figures; the memory peak stays.
    config.onResetStats(() => {
      this.histograms.reset();
      this.traffic.reset();
    });
  }

  /** The server's command observer: called after every executed command. */
  readonly observe = (
    client: Client,
    container: CommandSpec,
    cmd: CommandSpec,
    args: CommandArgs,
    usec: number,
  ): void => {
    const bits = cmd.flagBits;
    this.traffic.note(client);
    if ((++this.calls & 1023) === 0) this.periodic();
    if (this.tracking) this.histograms.record(cmd.id, usec);
    if (this.latencyThreshold > 0) {
      const ms = Math.floor(usec / 1000);
      if (ms >= this.latencyThreshold) this.latency.addSample((bits & CMD.FAST) !== 0 ? "fast-command" : "command", ms);
    }
    const slow = this.slowerThan >= 0 && usec >= this.slowerThan && (bits & CMD.SKIP_SLOWLOG) === 0;
    const monitored = this.monitor.monitors.length > 0 && (bits & (CMD.ADMIN | CMD.SKIP_MONITOR)) === 0;
    if (!slow && !monitored) return;
    const redacted = REDACTING_COMMANDS.has(container.name)
      ? redactedArguments(this.server.config, container, cmd, args)
      : null;
    if (slow) this.slowlog.push(args, redacted, usec, client.addr, client.name, this.slowlogMaxLen);
    if (monitored) {
      // RESET ends monitoring before the command is fed, so a monitor never sees its own RESET.
      if (container.id === this.resetId) this.monitor.remove(client);
      this.monitor.feed(args, redacted, client.db, this.originOf(client));
    }
  };

  /**
   * latencyAddSampleIfNeeded for other subsystems' events ("expire-cycle", "eviction-cycle",
   * "aof-fsync-always", …): recorded when `latency-monitor-threshold` is set and reached.
   */
  addLatencySampleIfNeeded(event: string, latencyMs: number): void {
    if (this.latencyThreshold > 0 && latencyMs >= this.latencyThreshold) this.latency.addSample(event, latencyMs);
  }

  /** Every 1024 commands, at most every 100 ms: rate samples and the memory peak (Redis's cron). */
  private periodic(): void {
    const now = performance.now();
    if (now - this.lastPeriodic < 100) return;
    this.lastPeriodic = now;
    this.traffic.sample(now);
    this.memory.sample();
  }

  /** The `[db origin]` part of a MONITOR line: `ip:port`, or `unix:<path>` for a socket client. */
  /**
   * Feeds a skip-monitor command to MONITOR before it runs, as EVAL does in Redis
   * (`replicationFeedMonitors` in evalCommand), so the script's commands show after it.
   */
  feedMonitorsBefore(client: Client, args: CommandArgs): void {
    if (this.monitor.monitors.length > 0) this.monitor.feed(args, null, client.db, this.originOf(client));
  }

  private originOf(client: Client): string {
    if (client.monitorOrigin !== null) return client.monitorOrigin;
    if (client.socket.remoteAddress === undefined) {
      const path = this.server.config.get<string | null>("unixsocket");
      if (path !== null && path !== "") return `unix:${path}`;
    }
    return client.addr;
  }
}

/** A random 40-character hex id (Redis's getRandomHexChars for run ids and replication ids). */
export function randomHex40(): string {
  let id = "";
  for (let i = 0; i < 40; i++) id += "0123456789abcdef"[Math.floor(Math.random() * 16)];
  return id;
}

const attached = new PerServer((server) => {
  const observers = new ServerObservers(server);
  server.commandObserver = observers.observe;
  return observers;
});

/**
 * Creates the observers of `server` and installs them as its command observer (NedisServer's
 * constructor calls this once). Idempotent.
 */
export function attachObservers(server: ServerContext): ServerObservers {
  return attached.of(server);
}

/**
 * Whether the client is in MONITOR mode (Redis's CLIENT_MONITOR): CLIENT LIST shows flag `O`,
 * and dispatch refuses it keyspace commands ("ERR Replica can't interact with the keyspace").
 */
export function isMonitoring(server: ServerContext, client: Client): boolean {
  const observers = attached.existing(server);
  return observers !== undefined && observers.monitor.monitors.length > 0 && observers.monitor.has(client);
}

/** The observers of `server` (attached on first use for servers built without them). */
export function observersOf(server: ServerContext): ServerObservers {
  return attached.of(server);
}
