/**
 * Stream IDs (Redis's `streamID`: two unsigned 64-bit halves, `<ms>-<seq>`). Each half is a
 * {@link U64}: a plain number up to 2^53 - 1 — every ID a clock or a counter makes, cheap to
 * compare, add and print — and a bigint only past it, so every u64 stays exact. The form is
 * canonical (a bigint is always > 2^53 - 1), so `===` compares halves, and `<`/`>` compare a
 * number with a bigint exactly.
 */
export type U64 = number | bigint;

export interface StreamId {
  ms: U64;
  seq: U64;
}

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(MAX_SAFE);
const TWO_POW_32 = 0x1_0000_0000;
/** Above this high word a u64 is past 2^53 - 1. */
const SAFE_HI_LIMIT = 0x20_0000;

/** A new ID. */
export function streamId(ms: U64, seq: U64): StreamId {
  return { ms, seq };
}

/** 0-0 (a new object: IDs are stored by reference). */
export function zeroStreamId(): StreamId {
  return { ms: 0, seq: 0 };
}

/** U64_MAX-U64_MAX (a new object). */
export function maxStreamId(): StreamId {
  return { ms: U64_MAX, seq: U64_MAX };
}

/** The canonical {@link U64} of an unsigned 64-bit bigint. */
export function u64(v: bigint): U64 {
  return v <= MAX_SAFE_BIG ? Number(v) : v;
}

/** A {@link U64} as a bigint. */
export function u64Big(v: U64): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

/** The u64 `hi * 2^32 + lo` (two 32-bit words). */
export function u64FromWords(hi: number, lo: number): U64 {
  return hi < SAFE_HI_LIMIT ? hi * TWO_POW_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/** The high 32-bit word of a u64. */
export function u64Hi(v: U64): number {
  return typeof v === "number" ? Math.floor(v / TWO_POW_32) : Number(v >> 32n);
}

/** The low 32-bit word of a u64. */
export function u64Lo(v: U64): number {
  return typeof v === "number" ? v >>> 0 : Number(v & 0xffff_ffffn);
}

/** `v + 1` (the caller knows `v` < U64_MAX). */
export function u64Inc(v: U64): U64 {
  if (typeof v === "number") return v < MAX_SAFE ? v + 1 : MAX_SAFE_BIG + 1n;
  return v + 1n;
}

/** `v - 1` (the caller knows `v` > 0). */
export function u64Dec(v: U64): U64 {
  return typeof v === "number" ? v - 1 : u64(v - 1n);
}

/** `(base + delta) mod 2^64`, `delta` an int64 read from a node (a number when it fits). */
export function u64AddDelta(base: U64, delta: number | bigint): U64 {
  if (typeof base === "number" && typeof delta === "number") {
    const sum = base + delta;
    if (sum >= 0 && sum <= MAX_SAFE) return sum;
  }
  return u64(BigInt.asUintN(64, u64Big(base) + u64Big(delta)));
}

/** `a - b` as the int64 Redis stores in a node: a number when within 2^53, else a bigint. */
export function u64Delta(a: U64, b: U64): number | bigint {
  // Two safe integers differ by less than 2^53: exact, and no int64 wrap.
  if (typeof a === "number" && typeof b === "number") return a - b;
  const d = BigInt.asIntN(64, u64Big(a) - u64Big(b));
  return d >= -MAX_SAFE_BIG && d <= MAX_SAFE_BIG ? Number(d) : d;
}

/**
 * -1, 0 or 1. A number below a bigint needs no comparison (canonical form): V8 compares mixed
 * operands in its runtime, slowly, and the open end of a range is U64_MAX.
 */
export function compareU64(a: U64, b: U64): number {
  if (typeof a === "number") {
    if (typeof b !== "number") return -1;
  } else if (typeof b === "number") return 1;
  return a === b ? 0 : a > b ? 1 : -1;
}

/** `streamCompareID`: -1, 0 or 1. */
export function compareStreamId(a: StreamId, b: StreamId): number {
  const c = compareU64(a.ms, b.ms);
  return c !== 0 ? c : compareU64(a.seq, b.seq);
}

/** `streamIncrID`: the successor, or null past the last possible ID. */
export function incrStreamId(id: StreamId): StreamId | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: u64Inc(id.ms), seq: 0 };
  }
  return { ms: id.ms, seq: u64Inc(id.seq) };
}

/** `streamDecrID`: the predecessor, or null before 0-0. */
export function decrStreamId(id: StreamId): StreamId | null {
  if (id.seq === 0) {
    if (id.ms === 0) return null;
    return { ms: u64Dec(id.ms), seq: U64_MAX };
  }
  return { ms: id.ms, seq: u64Dec(id.seq) };
}

/** `streamIDEqZero` */
export function isZeroStreamId(id: StreamId): boolean {
  return id.ms === 0 && id.seq === 0;
}

/** Whether the ID is U64_MAX-U64_MAX (no ID can follow it). */
export function isMaxStreamId(id: StreamId): boolean {
  return id.ms === U64_MAX && id.seq === U64_MAX;
}

/** `<ms>-<seq>` as Redis prints it. */
export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

let lastMs: U64 = -1;
let lastMsLength = 0;
const lastMsText = new Uint8Array(20);

/** Room {@link writeStreamId} may need: two 20-digit halves and the dash. */
export const STREAM_ID_MAX_TEXT = 41;

/**
 * Writes `<ms>-<seq>` as ASCII at `out[at]`, returning the end: replies print IDs this way,
 * with no string made for the common (safe-integer) halves.
 */
export function writeStreamId(id: StreamId, out: Uint8Array, at: number): number {
  let end: number;
  if (id.ms === lastMs) {
    // Entries added in one millisecond share it: copy its digits.
    for (let i = 0; i < lastMsLength; i++) out[at + i] = lastMsText[i]!;
    end = at + lastMsLength;
  } else {
    end = writeU64(id.ms, out, at);
    lastMs = id.ms;
    lastMsLength = end - at;
    for (let i = 0; i < lastMsLength; i++) lastMsText[i] = out[at + i]!;
  }
  out[end] = 0x2d;
  return writeU64(id.seq, out, end + 1);
}

function writeU64(v: U64, out: Uint8Array, at: number): number {
  if (typeof v === "bigint") {
    const text = v.toString();
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
    return at + text.length;
  }
  if (v < 1e8) return writeSmall(v, out, at);
  // Two int32 halves: below 2^53 the high part has at most 8 digits, the low exactly 8.
  const high = Math.floor(v / 1e8);
  let p = writeSmall(high, out, at) + 8;
  const end = p;
  for (let low = v - high * 1e8, i = 0; i < 8; i++) {
    const q = (low / 10) | 0;
    out[--p] = 0x30 + low - q * 10;
    low = q;
  }
  return end;
}

/** Writes `n` < 10^8 in decimal (int32 arithmetic). */
function writeSmall(n: number, out: Uint8Array, at: number): number {
  let digits = 1;
  for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
  let p = at + digits;
  do {
    const q = (n / 10) | 0;
    out[--p] = 0x30 + n - q * 10;
    n = q;
  } while (n > 0);
  return at + digits;
}

/** The 16-byte big-endian form (`streamEncodeID`): the node keys of RDB files. */
export function encodeStreamId(id: StreamId, out: Uint8Array, at: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, u64Hi(id.ms), false);
  view.setUint32(at + 4, u64Lo(id.ms), false);
  view.setUint32(at + 8, u64Hi(id.seq), false);
  view.setUint32(at + 12, u64Lo(id.seq), false);
}

/** `streamDecodeID` */
export function decodeStreamId(bytes: Uint8Array, at: number): StreamId {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ms: u64FromWords(view.getUint32(at, false), view.getUint32(at + 4, false)),
    seq: u64FromWords(view.getUint32(at + 8, false), view.getUint32(at + 12, false)),
  };
}

/**
 * Parses `<ms>`, `<ms>-<seq>` (and `-` / `+` unless `strict`; `<ms>-*` when `allowAutoSeq`) as
 * `streamGenericParseIDOrReply`; null when invalid. `autoSeq` reports the `<ms>-*` form.
 */
export function parseStreamId(
  buf: Uint8Array,
  off: number,
  len: number,
  missingSeq: U64,
  strict: boolean,
  allowAutoSeq = false,
): StreamId | null {
  parsedAutoSeq = false;
  if (len > 127 || len === 0) return null;
  if (len === 1) {
    const c = buf[off];
    if (c === 0x2d) return strict ? null : { ms: 0, seq: 0 };
    if (c === 0x2b) return strict ? null : { ms: U64_MAX, seq: U64_MAX };
  }
  let dash = -1;
  for (let i = 0; i < len; i++) {
    if (buf[off + i] === 0x2d) {
      dash = i;
      break;
    }
  }
  const ms = parseU64(buf, off, dash < 0 ? len : dash);
  if (ms === null) return null;
  if (dash < 0) return { ms, seq: missingSeq };
  const seqOff = off + dash + 1;
  const seqLen = len - dash - 1;
  if (allowAutoSeq && seqLen === 1 && buf[seqOff] === 0x2a) {
    parsedAutoSeq = true;
    return { ms, seq: 0 };
  }
  const seq = parseU64(buf, seqOff, seqLen);
  return seq === null ? null : { ms, seq };
}

/** Whether the last {@link parseStreamId} read the `<ms>-*` form. */
export let parsedAutoSeq = false;

/**
 * `string2ull`: a u64 in decimal. Canonical numbers take the fast path; like Redis's `strtoull`
 * fallback, leading blanks, a `+` and leading zeros are accepted.
 */
function parseU64(buf: Uint8Array, off: number, len: number): U64 | null {
  let i = off;
  const end = off + len;
  while (i < end && (buf[i] === 0x20 || (buf[i]! >= 0x09 && buf[i]! <= 0x0d))) i++;
  if (i < end && buf[i] === 0x2b) i++;
  if (i === end || end - i > 40) return null;
  let small = 0;
  let big: bigint | null = null;
  for (let j = i; j < end; j++) {
    const d = buf[j]! - 0x30;
    if (d < 0 || d > 9) return null;
    if (big === null && small < 100_000_000_000_000) small = small * 10 + d;
    else {
      if (big === null) big = BigInt(small);
      big = big * 10n + BigInt(d);
    }
  }
  if (big === null) return small;
  return big > U64_MAX ? null : u64(big);
}
