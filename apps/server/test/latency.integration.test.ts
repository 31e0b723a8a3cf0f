import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "./utils/raw.js";
import { useTarget } from "./utils/target.js";

const target = useTarget([["enable-debug-command", ["yes"]]]);
let r: Redis;
beforeAll(() => {
  r = target.client();
});

const DISABLED =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";

describe("LATENCY monitor", () => {
  it("with no events: LATEST and HISTORY are empty, GRAPH fails, DOCTOR says it is disabled", async () => {
    await r.call("LATENCY", "RESET");
    expect(await r.call("LATENCY", "LATEST")).toEqual([]);
    expect(await r.call("LATENCY", "HISTORY", "command")).toEqual([]);
    await expect(r.call("LATENCY", "GRAPH", "command")).rejects.toThrow("ERR No samples available for event 'command'");
    expect(await r.call("LATENCY", "DOCTOR")).toBe(DISABLED);
    expect(await r.call("LATENCY", "RESET", "a", "b")).toBe(0);
  });

  it("records slow commands as the 'command' event once latency-monitor-threshold is set", async () => {
    await r.call("LATENCY", "RESET");
    await r.call("CONFIG", "SET", "latency-monitor-threshold", "20");
    try {
      await r.call("DEBUG", "SLEEP", "0.05");
      await r.call("PING");
      // Only DEBUG SLEEP is meant to pass 20 ms; a loaded machine may add samples, so read the
      // "command" event's own numbers rather than assume it is alone.
      const latest = (await r.call("LATENCY", "LATEST")) as [string, number, number, number][];
      const entry = latest.find((e) => e[0] === "command")!;
      expect(entry).toBeDefined();
      const [, time, latency, max] = entry;
      expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(5);
      expect(latency).toBeGreaterThanOrEqual(50);
      expect(max).toBeGreaterThanOrEqual(latency);
      const history = (await r.call("LATENCY", "HISTORY", "command")) as [number, number][];
      expect(history[history.length - 1]).toEqual([time, latency]);

      const graph = (await r.call("LATENCY", "GRAPH", "command")) as string;
      const lows = history.map((h) => h[1]);
      expect(
        graph.startsWith(
          `command - high ${Math.max(...lows)} ms, low ${Math.min(...lows)} ms (all time high ${max} ms)\n${"-".repeat(80)}\n`,
        ),
      ).toBe(true);
      if (history.length === 1) expect(graph).toMatch(/-\n \n \n \n_\n \n\d\n(\d\n)?s\n$/);

      const doctor = (await r.call("LATENCY", "DOCTOR")) as string;
      expect(doctor).toContain(
        "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n",
      );
      expect(doctor).toMatch(
        /\d\. command: \d+ latency spikes \(average \d+ms, mean deviation \d+ms, period \d+\.\d\d sec\)\. Worst all time event \d+ms\.\n/,
      );
      expect(doctor).toContain(
        "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n",
      );

      expect(await r.call("LATENCY", "RESET", "COMMAND")).toBe(1);
      expect(((await r.call("LATENCY", "LATEST")) as unknown[][]).some((e) => e[0] === "command")).toBe(false);
    } finally {
      await r.call("CONFIG", "SET", "latency-monitor-threshold", "0");
      await r.call("LATENCY", "RESET");
    }
  });

  it("HELP lists the subcommands, HISTOGRAM included", async () => {
    const help = (await r.call("LATENCY", "HELP")) as string[];
    expect(help).toHaveLength(17);
    expect(help[0]).toBe("LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    expect(help.slice(11, 15)).toEqual([
      "    (default: reset all data for all event classes)",
      "HISTOGRAM [COMMAND ...]",
      "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
      "    If no commands are specified then all histograms are replied.",
    ]);
  });
});

describe("per-command latency tracking", () => {
  it("LATENCY HISTOGRAM replies calls and cumulative power-of-two buckets per command", async () => {
    await r.call("CONFIG", "RESETSTAT");
    await r.call("ECHO", "a");
    await r.call("ECHO", "b");
    const reply = (await r.call("LATENCY", "HISTOGRAM", "echo", "nosuch")) as unknown[];
    expect(reply[0]).toBe("echo");
    const [callsKey, calls, histKey, hist] = reply[1] as [string, number, string, number[]];
    expect([callsKey, calls, histKey]).toEqual(["calls", 2, "histogram_usec"]);
    expect(hist.length % 2).toBe(0);
    // Buckets rise in µs and in cumulative count.
    for (let i = 2; i < hist.length; i += 2) {
      expect(hist[i]!).toBeGreaterThan(hist[i - 2]!);
      expect(hist[i + 1]!).toBeGreaterThan(hist[i - 1]!);
    }
    expect(hist[hist.length - 1]).toBe(2);
    expect(reply).toHaveLength(2);
  });

  it("a container name replies its subcommands; `name|sub` one subcommand", async () => {
    await r.call("CONFIG", "RESETSTAT");
    await r.call("CONFIG", "GET", "maxmemory");
    const all = (await r.call("LATENCY", "HISTOGRAM", "config")) as unknown[];
    const names = all.filter((_, i) => i % 2 === 0).sort();
    expect(names).toEqual(["config|get", "config|resetstat"]);
    const one = (await r.call("LATENCY", "HISTOGRAM", "CONFIG|GET")) as unknown[];
    expect(one[0]).toBe("config|get");
    expect(one).toHaveLength(2);
  });

  it("INFO latencystats prints the configured percentiles with %.3f µs", async () => {
    await r.call("CONFIG", "RESETSTAT");
    await r.call("PING");
    let info = (await r.call("INFO", "latencystats")) as string;
    expect(info).toMatch(/\r\nlatency_percentiles_usec_ping:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
    await r.call("CONFIG", "SET", "latency-tracking-info-percentiles", "0 33.3333 100");
    info = (await r.call("INFO", "latencystats")) as string;
    expect(info).toMatch(/\r\nlatency_percentiles_usec_ping:p0=\d+\.\d{3},p33\.3333=\d+\.\d{3},p100=\d+\.\d{3}\r\n/);
    await r.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
  });

  it("latency-tracking no empties the section but keeps the histograms", async () => {
    await r.call("CONFIG", "SET", "latency-tracking", "no");
    try {
      expect(await r.call("INFO", "latencystats")).toBe("# Latencystats\r\n");
      const reply = (await r.call("LATENCY", "HISTOGRAM", "config")) as unknown[];
      expect(reply.length).toBeGreaterThan(0);
    } finally {
      await r.call("CONFIG", "SET", "latency-tracking", "yes");
    }
  });

  it("replies a RESP3 map of maps", async () => {
    const { text } = await rawExchange(
      target.port,
      "HELLO 3\r\nCONFIG RESETSTAT\r\nLATENCY HISTOGRAM config|resetstat\r\n",
      {
        until: (t) =>
          /%1\r\n\$16\r\nconfig\|resetstat\r\n%2\r\n\$5\r\ncalls\r\n:1\r\n\$14\r\nhistogram_usec\r\n%1\r\n:\d+\r\n:1\r\n$/.test(
            t,
          ),
      },
    );
    expect(text).toMatch(
      /%1\r\n\$16\r\nconfig\|resetstat\r\n%2\r\n\$5\r\ncalls\r\n:1\r\n\$14\r\nhistogram_usec\r\n%1\r\n:\d+\r\n:1\r\n$/,
    );
  });
});
