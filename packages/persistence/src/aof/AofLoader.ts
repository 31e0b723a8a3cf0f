/**
 * Reads one AOF file the way Redis's `loadSingleAppendOnlyFile` (aof.c) does: an optional RDB
 * part (a base file, or an old RDB-preamble AOF, starting with "REDIS"), then RESP commands
 * one by one, `#` annotation lines skipped. A MULTI block is delivered whole at its EXEC; one
 * left open at the end of the file is dropped, as Redis reverts it. The file's bytes are the
 * arguments' storage: commands are views, valid during the `execute` call only.
 */

/** One command's arguments as views into `buffer`. */
export interface AofCommand {
  readonly argc: number;
  readonly buffer: Uint8Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;
}

export const AofLoadStatus = {
  Ok: "ok",
  /** The file is empty (zero bytes). */
  Empty: "empty",
  /** It ended in the middle of a command (or of a MULTI block); `validUpTo` is where the last whole one ended. */
  Truncated: "truncated",
  /** Bad format, unknown command, or an RDB part that failed: loading must stop. */
  Failed: "failed",
} as const;
export type AofLoadStatus = (typeof AofLoadStatus)[keyof typeof AofLoadStatus];

export interface AofLoadResult {
  status: AofLoadStatus;
  /** Offset just past the last command applied (what `aof-load-truncated` truncates to). */
  validUpTo: number;
  /** Commands applied (EXEC blocks count each command). */
  commands: number;
}

export interface AofLoadHandlers {
  /** Runs one command; false when it is unknown (loading then fails, as in Redis). */
  execute(cmd: AofCommand): boolean;
  /**
   * Loads an RDB part at the start of the file; returns the number of bytes it used, or throws.
   * Absent: a file starting with "REDIS" fails to load with a clear message.
   */
  loadRdb?(bytes: Uint8Array): number;
  /** Redis's log lines (warnings at `warning`, progress at `notice`). */
  log(level: "notice" | "warning", message: string): void;
}

const STAR = 0x2a;
const DOLLAR = 0x24;
const HASH = 0x23;
const CR = 13;
const LF = 10;
const REDIS_SIGNATURE = [0x52, 0x45, 0x44, 0x49, 0x53];

/** Parses and applies the commands of `bytes` (the whole file named `name`). */
export function loadAofBytes(bytes: Uint8Array, name: string, handlers: AofLoadHandlers): AofLoadResult {
  if (bytes.length === 0) return { status: AofLoadStatus.Empty, validUpTo: 0, commands: 0 };
  let at = 0;
  if (bytes.length >= 5 && REDIS_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (handlers.loadRdb === undefined) {
      handlers.log("warning", `Error reading the RDB base file ${name}, AOF loading aborted`);
      handlers.log("warning", "RDB parts of AOF files are not supported yet by this server");
      return { status: AofLoadStatus.Failed, validUpTo: 0, commands: 0 };
    }
    handlers.log("notice", "Reading RDB base file on AOF loading...");
    try {
      at = handlers.loadRdb(bytes);
    } catch (err) {
      handlers.log("warning", `Error reading the RDB base file ${name}, AOF loading aborted`);
      handlers.log("warning", String((err as Error).message ?? err));
      return { status: AofLoadStatus.Failed, validUpTo: 0, commands: 0 };
    }
  }
  let validUpTo = at;
  let validBeforeMulti = at;
  let commands = 0;
  // MULTI … EXEC: the queued commands wait as views (the file's bytes outlive them) until EXEC.
  let queue: AofCommand[] | null = null;
  const end = bytes.length;
  const fail = (): AofLoadResult => {
    handlers.log(
      "warning",
      `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
    );
    return { status: AofLoadStatus.Failed, validUpTo, commands };
  };
  const truncated = (): AofLoadResult => ({
    status: AofLoadStatus.Truncated,
    validUpTo: queue !== null ? validBeforeMulti : validUpTo,
    commands,
  });
  /** Index of the LF ending the line at `from`, or -1 at the end of the file. */
  const lineEnd = (from: number): number => bytes.indexOf(LF, from);
  while (at < end) {
    const first = bytes[at]!;
    let eol = lineEnd(at);
    if (eol < 0) return truncated();
    if (first === HASH) {
      at = eol + 1;
      continue;
    }
    if (first !== STAR) return fail();
    if (eol === at + 1) return truncated();
    const argc = parseIntAt(bytes, at + 1, eol);
    if (argc < 1) return fail();
    const offsets = new Int32Array(argc);
    const lengths = new Int32Array(argc);
    let p = eol + 1;
    for (let j = 0; j < argc; j++) {
      if (p >= end) return truncated();
      if (bytes[p] !== DOLLAR) return fail();
      eol = lineEnd(p);
      if (eol < 0) return truncated();
      const len = Math.max(0, parseIntAt(bytes, p + 1, eol));
      p = eol + 1;
      if (p + len + 2 > end) return truncated();
      offsets[j] = p;
      lengths[j] = len;
      p += len + 2;
    }
    const cmd: AofCommand = { argc, buffer: bytes, offsets, lengths };
    at = p;
    if (isName(cmd, "multi")) {
      validBeforeMulti = validUpTo;
      queue = [];
    } else if (isName(cmd, "exec") && queue !== null) {
      for (const q of queue) {
        if (!run(q)) return unknown(q);
        commands++;
      }
      queue = null;
    } else if (queue !== null) queue.push(cmd);
    else {
      if (!run(cmd)) return unknown(cmd);
      commands++;
    }
    validUpTo = at;
  }
  if (queue !== null) {
    handlers.log("warning", `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    return truncated();
  }
  return { status: AofLoadStatus.Ok, validUpTo, commands };

  function run(cmd: AofCommand): boolean {
    return handlers.execute(cmd);
  }
  function unknown(cmd: AofCommand): AofLoadResult {
    const nameText = Buffer.from(bytes.buffer, bytes.byteOffset + cmd.offsets[0]!, cmd.lengths[0]!).toString("latin1");
    handlers.log("warning", `Unknown command '${nameText}' reading the append only file ${name}`);
    return { status: AofLoadStatus.Failed, validUpTo, commands };
  }
}

/** C's atoi/strtol on the digits between `from` and `to` (a trailing CR is ignored). */
function parseIntAt(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  let negative = false;
  if (bytes[i] === 0x2d) {
    negative = true;
    i++;
  }
  let n = 0;
  for (; i < to; i++) {
    const c = bytes[i]!;
    if (c === CR) break;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  return negative ? -n : n;
}

function isName(cmd: AofCommand, lower: string): boolean {
  if (cmd.lengths[0] !== lower.length) return false;
  const off = cmd.offsets[0]!;
  for (let i = 0; i < lower.length; i++) {
    if ((cmd.buffer[off + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
