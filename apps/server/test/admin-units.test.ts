import { describe, expect, it } from "vitest";
import type { CommandArgs } from "../src/commands/CommandSpec.js";
import type { Client } from "../src/net/Client.js";
import { crc64 } from "../src/observe/crc64.js";
import { HdrHistogram } from "../src/observe/HdrHistogram.js";
import { LatencyMonitor } from "../src/observe/LatencyMonitor.js";
import { fixed } from "../src/observe/printf.js";
import { isMonitoring, observersOf } from "../src/observe/ServerObservers.js";
import { SlowLog } from "../src/observe/SlowLog.js";
import { renderSparkline } from "../src/observe/Sparkline.js";
import { startServer } from "../src/startServer.js";

/** CommandArgs over plain strings, for unit tests of code that reads argument views. */
function argsOf(...words: (string | Uint8Array)[]): CommandArgs {
  const parts = words.map((w) => (typeof w === "string" ? Buffer.from(w, "latin1") : Buffer.from(w)));
  const buffer = Buffer.concat(parts);
  const offsets = new Int32Array(parts.length);
  const lengths = new Int32Array(parts.length);
  let o = 0;
  parts.forEach((p, i) => {
    offsets[i] = o;
    lengths[i] = p.length;
    o += p.length;
  });
  return {
    argc: parts.length,
    buffer,
    offsets,
    lengths,
    argEquals: (i, name) => parts[i]!.toString("latin1").toLowerCase() === name,
    argString: (i) => parts[i]!.toString("latin1"),
    argView: (i) => buffer.subarray(offsets[i]!, offsets[i]! + lengths[i]!),
  };
}

describe("HdrHistogram reports the bucket bounds Redis's HdrHistogram reports", () => {
  // Values seen from redis-server 7.0.15: a 0 µs call records 1 ns (p50=0.001), 1 µs is
  // reported as 1.003, 48 µs as 48.127 (INFO latencystats prints ns/1000 with %.3f).
  it.each([
    [1, 1],
    [1000, 1003],
    [8000, 8031],
    [48_000, 48_127],
    [60_000, 60_159],
    [724_991, 724_991],
  ])("a single %i ns value reads back as %i ns at p50", (value, reported) => {
    const h = new HdrHistogram();
    h.record(value);
    expect(h.valueAtPercentile(50)).toBe(reported);
  });

  it("p0 reads the lowest equivalent value, other percentiles the highest (9.023 vs 8.960 µs)", () => {
    const h = new HdrHistogram();
    for (const v of [9000, 9010, 11_000]) h.record(v);
    expect(h.valueAtPercentile(0)).toBe(8960);
    expect(h.valueAtPercentile(33.3333)).toBe(9023);
    expect(h.valueAtPercentile(100)).toBe(11_007);
  });

  it("clamps to 1 ns – 1 s like Redis", () => {
    const h = new HdrHistogram();
    h.record(0);
    h.record(5e12);
    expect(h.totalCount).toBe(2);
    expect(h.valueAtPercentile(1)).toBe(1);
    expect(h.valueAtPercentile(100)).toBeGreaterThanOrEqual(1e9);
  });

  it("LATENCY HISTOGRAM buckets: powers of two from 1024 ns, cumulative, only where the count grew", () => {
    const h = new HdrHistogram();
    h.record(1);
    h.record(1);
    expect(h.cumulativeBuckets()).toEqual([{ usec: 1, count: 2 }]);
    const g = new HdrHistogram();
    g.record(48_000);
    expect(g.cumulativeBuckets()).toEqual([{ usec: 66, count: 1 }]);
    const k = new HdrHistogram();
    for (const v of [500, 3000, 3000, 70_000]) k.record(v);
    expect(k.cumulativeBuckets()).toEqual([
      { usec: 1, count: 1 },
      { usec: 4, count: 3 },
      { usec: 132, count: 4 },
    ]);
  });

  it("reaches the top bucket for the largest values", () => {
    const h = new HdrHistogram();
    h.record(1e9);
    const buckets = h.cumulativeBuckets();
    expect(buckets).toHaveLength(1);
    expect(buckets[0]!.count).toBe(1);
    expect(buckets[0]!.usec).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe("printf-style fixed", () => {
  it("rounds exact ties to even like glibc, other values like toFixed", () => {
    expect(fixed(0.125, 2)).toBe("0.12");
    expect(fixed(0.375, 2)).toBe("0.38");
    expect(fixed(2.5, 0)).toBe("2");
    expect(fixed(3.5, 0)).toBe("4");
    expect(fixed(1.005, 2)).toBe((1.005).toFixed(2));
    expect(fixed(1 / 3, 6)).toBe("0.333333");
    expect(fixed(Number.NaN, 2)).toBe("nan");
    expect(fixed(Infinity, 2)).toBe("inf");
  });
});

describe("crc64 (Redis's Jones CRC-64)", () => {
  it("matches Redis's check value and the footer of an empty FUNCTION DUMP", () => {
    expect(Buffer.from(crc64(Buffer.from("123456789"))).toString("hex")).toBe("cad9b8c414d9c6e9");
    expect(Buffer.from(crc64(Buffer.from([0x0a, 0x00]))).toString("hex")).toBe("5d9b5c400f7fa2da");
  });
});

describe("LATENCY GRAPH sparkline", () => {
  it("draws one sample as Redis does (bars, a blank row, the label vertically)", () => {
    expect(renderSparkline([{ value: 10, label: "0s" }], 80, 4)).toBe(" \n \n \n_\n \n0\ns\n");
  });

  it("scales bars between min and max", () => {
    const out = renderSparkline(
      [
        { value: 0, label: "" },
        { value: 12, label: "" },
      ],
      80,
      4,
    );
    // Redis draws the top of a full bar as `#` over `|`, the bottom row of an empty one as `_`.
    expect(out).toBe(" #\n |\n |\n_|\n");
  });
});

describe("LatencyMonitor", () => {
  it("keeps the worst latency per second and the all-time max", () => {
    const m = new LatencyMonitor();
    m.addSample("command", 5, 100);
    m.addSample("command", 9, 100);
    m.addSample("command", 3, 100);
    m.addSample("command", 4, 101);
    const ts = m.events.get("command")!;
    const samples: [number, number][] = [];
    ts.forEachSample((t, l) => samples.push([t, l]));
    expect(samples).toEqual([
      [100, 9],
      [101, 4],
    ]);
    expect(ts.max).toBe(9);
    expect(m.analyze("command", 102)).toMatchObject({ samples: 2, avg: 6, min: 4, max: 9, mad: 2, period: 2 });
    expect(m.reset("COMMAND")).toBe(1);
    expect(m.events.size).toBe(0);
  });

  it("wraps after 160 samples", () => {
    const m = new LatencyMonitor();
    for (let t = 1; t <= 200; t++) m.addSample("e", t, t);
    let count = 0;
    let first = 0;
    m.events.get("e")!.forEachSample((t) => {
      if (count++ === 0) first = t;
    });
    expect(count).toBe(160);
    expect(first).toBe(41);
  });
});

describe("SlowLog entries", () => {
  it("keep at most 32 arguments, the last one counting the rest", () => {
    const log = new SlowLog();
    const words = ["RPUSH", "k", ...Array.from({ length: 40 }, (_, i) => `v${i}`)];
    log.push(argsOf(...words), null, 12.7, "127.0.0.1:1", "", 128);
    const [entry] = log.newest(1);
    expect(entry!.args).toHaveLength(32);
    expect(Buffer.from(entry!.args[31]!).toString()).toBe("... (11 more arguments)");
    expect(Buffer.from(entry!.args[30]!).toString()).toBe("v28");
    expect(entry!.duration).toBe(12);
  });

  it("trim arguments to 128 bytes and say how many more there were", () => {
    const log = new SlowLog();
    log.push(argsOf("SET", "k", "x".repeat(200)), null, 1, "a", "n", 128);
    const arg = Buffer.from(log.newest(1)[0]!.args[2]!).toString();
    expect(arg).toBe(`${"x".repeat(128)}... (72 more bytes)`);
  });

  it("copy arguments (the read buffer is reused) and apply redactions", () => {
    const log = new SlowLog();
    const args = argsOf("AUTH", "secret");
    log.push(args, [undefined, Buffer.from("(redacted)")], 1, "a", "", 128);
    args.buffer.fill(0x41);
    expect(log.newest(1)[0]!.args.map((a) => Buffer.from(a).toString())).toEqual(["AUTH", "(redacted)"]);
  });

  it("number entries across resets and keep the newest max-len", () => {
    const log = new SlowLog();
    for (let i = 0; i < 5; i++) log.push(argsOf("PING"), null, 1, "a", "", 3);
    expect(log.length).toBe(3);
    expect(log.newest(-1).map((e) => e.id)).toEqual([4, 3, 2]);
    log.reset();
    log.push(argsOf("PING"), null, 1, "a", "", 0);
    expect(log.length).toBe(0);
    log.push(argsOf("PING"), null, 1, "a", "", 3);
    expect(log.newest(10).map((e) => e.id)).toEqual([6]);
  });
});

describe("ServerObservers hooks for other subsystems", () => {
  it("records another subsystem's latency event only past latency-monitor-threshold", async () => {
    const server = await startServer({
      anyPort: true,
      options: [
        ["bind", ["127.0.0.1"]],
        ["latency-monitor-threshold", ["10"]],
      ],
    });
    try {
      const observers = observersOf(server);
      observers.addLatencySampleIfNeeded("expire-cycle", 9);
      expect(observers.latency.events.size).toBe(0);
      observers.addLatencySampleIfNeeded("expire-cycle", 12);
      expect(observers.latency.events.get("expire-cycle")!.max).toBe(12);
      server.config.set("latency-monitor-threshold", ["0"]);
      observers.addLatencySampleIfNeeded("eviction-cycle", 500);
      expect(observers.latency.events.has("eviction-cycle")).toBe(false);
      const client = { id: 1 } as unknown as Client;
      expect(isMonitoring(server, client)).toBe(false);
      observers.monitor.monitors.push(client);
      expect(isMonitoring(server, client)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
