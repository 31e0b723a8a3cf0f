import type { CommandArgs } from "../commands/CommandSpec.js";
import type { Client } from "../net/Client.js";
import { unixMicros } from "./clock.js";

/**
 * MONITOR (replicationFeedMonitors): every executed command, except admin ones and those
 * flagged skip_monitor, becomes one status line for each monitoring client:
 * `+1700000000.123456 [0 127.0.0.1:5555] "SET" "k" "v"\r\n`, arguments quoted like sdscatrepr.
 * The line is encoded once into a scratch buffer and copied into each monitor's output.
 */
export class MonitorFeed {
  readonly monitors: Client[] = [];
  private scratch = new Uint8Array(4096);
  private length = 0;

  /** Adds a monitor; it leaves on RESET (see {@link remove}) or when its connection closes. */
  add(client: Client): void {
    this.monitors.push(client);
    client.monitoring = true;
    client.socket.once("close", () => this.remove(client));
  }

  has(client: Client): boolean {
    return this.monitors.includes(client);
  }

  remove(client: Client): void {
    const i = this.monitors.indexOf(client);
    if (i >= 0) this.monitors.splice(i, 1);
    client.monitoring = false;
  }

  /**
   * Feeds one command. `origin` is the `ip:port` (or `unix:<path>`) shown in brackets, `db` the
   * client's database after the command ran; `redacted[i]` replaces argument i when set.
   */
  feed(args: CommandArgs, redacted: readonly (Uint8Array | undefined)[] | null, db: number, origin: string): void {
    this.length = 0;
    const micros = unixMicros();
    const seconds = Math.floor(micros / 1e6);
    this.ascii(`+${seconds}.${String(micros - seconds * 1e6).padStart(6, "0")} [${db} ${origin}] `);
    for (let j = 0; j < args.argc; j++) {
      if (j > 0) this.byte(0x20);
      const replacement = redacted?.[j];
      if (replacement !== undefined) this.repr(replacement, 0, replacement.length);
      else this.repr(args.buffer, args.offsets[j]!, args.offsets[j]! + args.lengths[j]!);
    }
    this.byte(0x0d);
    this.byte(0x0a);
    const line = this.scratch.subarray(0, this.length);
    for (let i = 0; i < this.monitors.length; i++) this.monitors[i]!.deliver(line);
  }

  /** sdscatrepr: quoted, `\\ \" \n \r \t \a \b` escaped, other non-printables as `\xhh`. */
  private repr(bytes: Uint8Array, start: number, end: number): void {
    this.reserve((end - start) * 4 + 2);
    const b = this.scratch;
    let o = this.length;
    b[o++] = 0x22;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c === 0x5c || c === 0x22) {
        b[o++] = 0x5c;
        b[o++] = c;
      } else if (c >= 0x20 && c <= 0x7e) {
        b[o++] = c;
      } else {
        const escape = ESCAPES[c];
        b[o++] = 0x5c;
        if (escape !== undefined) {
          b[o++] = escape;
        } else {
          b[o++] = 0x78;
          b[o++] = HEX[c >> 4]!;
          b[o++] = HEX[c & 15]!;
        }
      }
    }
    b[o++] = 0x22;
    this.length = o;
  }

  private ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.scratch[this.length++] = text.charCodeAt(i);
  }

  private byte(c: number): void {
    this.reserve(1);
    this.scratch[this.length++] = c;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.scratch.length) return;
    const grown = new Uint8Array(Math.max(this.scratch.length * 2, this.length + n));
    grown.set(this.scratch.subarray(0, this.length));
    this.scratch = grown;
  }
}

/** The letter after the backslash for the control characters sdscatrepr names. */
const ESCAPES: Record<number, number> = { 0x0a: 0x6e, 0x0d: 0x72, 0x09: 0x74, 0x07: 0x61, 0x08: 0x62 };
const HEX = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
