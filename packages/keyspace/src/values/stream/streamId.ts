/**
 * Stream IDs (Redis's `streamID`: two unsigned 64-bit halves, `<ms>-<seq>`). They are bigints:
 * both halves span the whole u64 range, past what a double holds exactly.
 */
export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** A new ID. */
export function streamId(ms: bigint, seq: bigint): StreamId {
  return { ms, seq };
}

/** `streamCompareID`: -1, 0 or 1. */
export function compareStreamId(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms > b.ms ? 1 : -1;
  if (a.seq !== b.seq) return a.seq > b.seq ? 1 : -1;
  return 0;
}

/** `streamIncrID`: the successor, or null past the last possible ID. */
export function incrStreamId(id: StreamId): StreamId | null {
  if (id.seq === U64_MAX) {
    if (id.ms === U64_MAX) return null;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** `streamDecrID`: the predecessor, or null before 0-0. */
export function decrStreamId(id: StreamId): StreamId | null {
  if (id.seq === 0n) {
    if (id.ms === 0n) return null;
    return { ms: id.ms - 1n, seq: U64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

/** `streamIDEqZero` */
export function isZeroStreamId(id: StreamId): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** `<ms>-<seq>` as Redis prints it. */
export function formatStreamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** The 16-byte big-endian form (`streamEncodeID`): the node keys of RDB files. */
export function encodeStreamId(id: StreamId, out: Uint8Array, at: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setBigUint64(at, id.ms, false);
  view.setBigUint64(at + 8, id.seq, false);
}

/** `streamDecodeID` */
export function decodeStreamId(bytes: Uint8Array, at: number): StreamId {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ms: view.getBigUint64(at, false), seq: view.getBigUint64(at + 8, false) };
}

/**
 * Parses `<ms>`, `<ms>-<seq>` (and `-` / `+` unless `strict`; `<ms>-*` when `allowAutoSeq`) as
 * `streamGenericParseIDOrReply`; null when invalid. `autoSeq` reports the `<ms>-*` form.
 */
export function parseStreamId(
  buf: Uint8Array,
  off: number,
  len: number,
  missingSeq: bigint,
  strict: boolean,
  allowAutoSeq = false,
): StreamId | null {
  parsedAutoSeq = false;
  if (len > 127 || len === 0) return null;
  if (len === 1) {
    const c = buf[off];
    if (c === 0x2d) return strict ? null : { ms: 0n, seq: 0n };
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
    return { ms, seq: 0n };
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
function parseU64(buf: Uint8Array, off: number, len: number): bigint | null {
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
  if (big === null) return BigInt(small);
  return big > U64_MAX ? null : big;
}
