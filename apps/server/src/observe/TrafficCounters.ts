import { performance } from "node:perf_hooks";
import type { Client } from "../net/Client.js";
import type { ServerContext } from "../ServerContext.js";

const SAMPLES = 16;
const SAMPLE_INTERVAL_MS = 100;

/**
 * Network totals and the instantaneous rates of INFO stats (`total_net_input_bytes`,
 * `instantaneous_ops_per_sec`, `instantaneous_input_kbps`, …). Live connections are read from
 * their sockets; a connection's bytes are banked when it closes (the observer registers each
 * client the first time it runs a command). Rates come from samples taken at most every 100 ms
 * (by INFO, and every 1024 commands), averaged over the last 1.6 s like Redis's 16 samples.
 */
export class TrafficCounters {
  private closedIn = 0;
  private closedOut = 0;
  private readonly known = new WeakSet<Client>();
  private last: Client | null = null;
  private readonly times = new Float64Array(SAMPLES);
  private readonly ops = new Float64Array(SAMPLES);
  private readonly inBytes = new Float64Array(SAMPLES);
  private readonly outBytes = new Float64Array(SAMPLES);
  private count = 0;
  private next = 0;

  constructor(private readonly server: ServerContext) {}

  /** Called for every command; cheap when the same client runs several in a row. */
  note(client: Client): void {
    if (client === this.last) return;
    this.last = client;
    this.register(client);
  }

  /** Banks the client's bytes when its connection closes (once per client). */
  private register(client: Client): void {
    if (this.known.has(client)) return;
    this.known.add(client);
    const socket = client.socket;
    socket.once("close", () => {
      this.closedIn += socket.bytesRead;
      this.closedOut += socket.bytesWritten;
    });
  }

  totals(): { input: number; output: number } {
    let input = this.closedIn;
    let output = this.closedOut;
    for (const c of this.server.clients.values()) {
      input += c.socket.bytesRead;
      output += c.socket.bytesWritten;
    }
    return { input, output };
  }

  /** CONFIG RESETSTAT: totals restart from zero (live sockets keep counting from here). */
  reset(): void {
    // Every live connection's bytes are subtracted now, so each must be added back when it closes.
    for (const c of this.server.clients.values()) this.register(c);
    const { input, output } = this.totals();
    this.closedIn -= input;
    this.closedOut -= output;
    this.count = 0;
    this.next = 0;
  }

  /** Takes a sample unless the newest is under 100 ms old. */
  sample(now = performance.now()): void {
    const newest = this.count === 0 ? -Infinity : this.times[(this.next + SAMPLES - 1) % SAMPLES]!;
    if (now - newest < SAMPLE_INTERVAL_MS) return;
    const { input, output } = this.totals();
    this.times[this.next] = now;
    this.ops[this.next] = this.server.stats.totalCommandsProcessed;
    this.inBytes[this.next] = input;
    this.outBytes[this.next] = output;
    this.next = (this.next + 1) % SAMPLES;
    if (this.count < SAMPLES) this.count++;
  }

  /** Per-second rates of commands and of KB in and out, over the sampled window. */
  rates(now = performance.now()): { opsPerSec: number; inputKbps: number; outputKbps: number } {
    this.sample(now);
    if (this.count < 2) return { opsPerSec: 0, inputKbps: 0, outputKbps: 0 };
    const newest = (this.next + SAMPLES - 1) % SAMPLES;
    const oldest = (this.next + SAMPLES - this.count) % SAMPLES;
    const seconds = (this.times[newest]! - this.times[oldest]!) / 1000;
    if (seconds <= 0) return { opsPerSec: 0, inputKbps: 0, outputKbps: 0 };
    return {
      opsPerSec: Math.round((this.ops[newest]! - this.ops[oldest]!) / seconds),
      inputKbps: (this.inBytes[newest]! - this.inBytes[oldest]!) / seconds / 1024,
      outputKbps: (this.outBytes[newest]! - this.outBytes[oldest]!) / seconds / 1024,
    };
  }
}
