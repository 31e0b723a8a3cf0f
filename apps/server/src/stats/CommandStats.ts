import { definedCommandCount } from "../commands/CommandSpec.js";

/**
 * Per-command counters for INFO commandstats (`calls`, `usec`, `rejected_calls`,
 * `failed_calls`), in typed arrays indexed by the command's id: no object or map per call.
 */
export class CommandStats {
  calls: Float64Array;
  usec: Float64Array;
  rejected: Float64Array;
  failed: Float64Array;

  constructor() {
    const n = Math.max(64, definedCommandCount());
    this.calls = new Float64Array(n);
    this.usec = new Float64Array(n);
    this.rejected = new Float64Array(n);
    this.failed = new Float64Array(n);
  }

  /** A command ran for `usec` microseconds; `failed` when it replied an error. */
  record(id: number, usec: number, failed: boolean): void {
    if (id >= this.calls.length) this.grow(id);
    this.calls[id]! += 1;
    this.usec[id]! += usec;
    if (failed) this.failed[id]! += 1;
  }

  /** A blocked command's re-run that served it: its time (and failure), not another call. */
  recordUnblocked(id: number, usec: number, failed: boolean): void {
    if (id >= this.calls.length) this.grow(id);
    this.usec[id]! += usec;
    if (failed) this.failed[id]! += 1;
  }

  /** A command was refused before running (arity, NOAUTH, OOM, …). */
  reject(id: number): void {
    if (id >= this.calls.length) this.grow(id);
    this.rejected[id]! += 1;
  }

  reset(): void {
    this.calls.fill(0);
    this.usec.fill(0);
    this.rejected.fill(0);
    this.failed.fill(0);
  }

  private grow(id: number): void {
    const n = Math.max(id + 1, this.calls.length * 2);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.calls = grow(this.calls);
    this.usec = grow(this.usec);
    this.rejected = grow(this.rejected);
    this.failed = grow(this.failed);
  }
}

/** INFO errorstats: error replies counted by their code (`ERR`, `WRONGTYPE`, …), like Redis. */
export class ErrorStats {
  readonly byCode = new Map<string, number>();
  total = 0;

  record(message: string): void {
    this.total++;
    const space = message.indexOf(" ");
    const code = space < 0 ? message : message.slice(0, space);
    // Redis stops adding new codes past 128 to bound memory; existing ones keep counting.
    const n = this.byCode.get(code);
    if (n !== undefined) this.byCode.set(code, n + 1);
    else if (this.byCode.size < 128) this.byCode.set(code, 1);
  }

  reset(): void {
    this.byCode.clear();
    this.total = 0;
  }
}
