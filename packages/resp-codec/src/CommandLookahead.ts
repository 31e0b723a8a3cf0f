const EMPTY = new Uint8Array(0);
const CR = 0x0d;
const STAR = 0x2a;
const DOLLAR = 0x24;

/**
 * The complete commands a {@link RequestParser} holds after the one it returned last, read
 * without consuming them: argument views of up to `maxCommands` commands and `maxArgs` arguments
 * in all. A server uses it to start work for a whole pipelined batch at once (such as loading the
 * keys' memory, so the cache misses of sixteen lookups overlap instead of following each other).
 *
 * Only well-formed `*N` / `$len` commands are read; the lookahead stops at the first command that
 * is incomplete, inline, or unusual in any way, and never throws: the parser still raises the
 * errors when it gets there. Views are valid as long as the parser's own views are.
 */
export class CommandLookahead {
  /** The bytes the views point into. */
  buffer: Uint8Array = EMPTY;
  /** Commands found. */
  count = 0;
  /** Per command: its argument count, and the index of its first argument in `offsets`/`lengths`. */
  readonly argc: Int32Array;
  readonly firstArg: Int32Array;
  /** Argument views of all the commands, one after another. */
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;

  constructor(maxCommands = 64, maxArgs = 256) {
    this.argc = new Int32Array(maxCommands);
    this.firstArg = new Int32Array(maxCommands);
    this.offsets = new Int32Array(maxArgs);
    this.lengths = new Int32Array(maxArgs);
  }
}

/** Fills `into` with the complete commands in `input[pos, end)`; returns how many it found. */
export function lookAheadCommands(input: Uint8Array, pos: number, end: number, into: CommandLookahead): number {
  const offsets = into.offsets;
  const lengths = into.lengths;
  const maxCommands = into.argc.length;
  const maxArgs = offsets.length;
  let p = pos;
  let n = 0;
  let args = 0;
  while (n < maxCommands && p < end && input[p] === STAR) {
    let count = 0;
    let c = 0;
    for (;;) {
      if (++p >= end) return finish(into, input, n);
      c = input[p]!;
      if (c < 0x30 || c > 0x39) break;
      count = count * 10 + (c - 0x30);
      if (count > maxArgs) return finish(into, input, n);
    }
    if (c !== CR || count === 0 || args + count > maxArgs) return finish(into, input, n);
    p += 2;
    const first = args;
    for (let i = 0; i < count; i++) {
      if (p >= end || input[p] !== DOLLAR) return finish(into, input, n);
      let len = 0;
      let digits = 0;
      for (;;) {
        if (++p >= end) return finish(into, input, n);
        c = input[p]!;
        if (c < 0x30 || c > 0x39) break;
        len = len * 10 + (c - 0x30);
        // Views are Int32; bulks this long are never worth looking ahead at.
        if (++digits > 9) return finish(into, input, n);
      }
      if (c !== CR || digits === 0) return finish(into, input, n);
      p += 2;
      if (p + len + 2 > end) return finish(into, input, n);
      offsets[args] = p;
      lengths[args] = len;
      args++;
      p += len + 2;
    }
    into.argc[n] = count;
    into.firstArg[n] = first;
    n++;
  }
  return finish(into, input, n);
}

function finish(into: CommandLookahead, input: Uint8Array, n: number): number {
  into.buffer = input;
  into.count = n;
  return n;
}
