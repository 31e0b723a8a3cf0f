import type { KvHandle } from "@nedis/allocators/kv-pool";
import {
  lpBytes,
  lpCompare,
  lpFirst,
  lpGetInteger,
  lpIntegerEntrySize,
  lpNew,
  lpNext,
  lpReplaceInteger,
  lpReplaceIntegerSize,
  lpStringEntrySize,
} from "@nedis/rdb/listpack";
import type { StreamObject } from "./StreamObject.js";
import { compareStreamId, type StreamId, U64_MAX, u64Delta, u64Inc, zeroStreamId } from "./streamId.js";
import {
  beginTail,
  endTail,
  putTailInteger,
  putTailString,
  tailIntegerSize,
  tailStringSize,
} from "./streamNodeTail.js";

/** Entry flags (STREAM_ITEM_FLAG_*). */
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
/** STREAM_LISTPACK_MAX_SIZE: no node (nor entry) grows past 1 GiB. */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

/** STREAM_LISTPACK_MAX_PRE_ALLOCATE */
const PREALLOCATE = 4096;

/** Field/value arguments of an XADD: `buffer[offsets[i], offsets[i] + lengths[i])`. */
export interface FieldArgs {
  readonly buffer: Uint8Array;
  readonly offsets: ArrayLike<number>;
  readonly lengths: ArrayLike<number>;
}

/** Node size limits (`stream-node-max-bytes`, `stream-node-max-entries`). */
export interface StreamNodeLimits {
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

/** Why {@link streamAppendItem} refused (Redis's errno). */
export const APPEND_OK = 0;
export const APPEND_ID_TOO_SMALL = 1; // EDOM
export const APPEND_TOO_LARGE = 2; // ERANGE

/** The ID the last successful {@link streamAppendItem} added. */
export let appendedId: StreamId = zeroStreamId();

/**
 * `streamAppendItem`: adds an entry of `numFields` field/value pairs (arguments `first`,
 * `first + 1`, …) with ID `useId` (its sequence generated when `!seqGiven`) or the next ID
 * after the last one at `nowMs`. The caller passed the modify gateway and reserved room.
 */
export function streamAppendItem(
  s: StreamObject,
  args: FieldArgs,
  first: number,
  numFields: number,
  useId: StreamId | null,
  seqGiven: boolean,
  nowMs: number,
  limits: StreamNodeLimits,
): number {
  let id: StreamId;
  const last = s.lastId;
  if (useId !== null) {
    if (seqGiven) id = useId;
    else if (last.ms === useId.ms) {
      if (last.seq === U64_MAX) return APPEND_ID_TOO_SMALL;
      id = { ms: last.ms, seq: u64Inc(last.seq) };
    } else id = useId;
  } else if (nowMs > last.ms) id = { ms: nowMs, seq: 0 };
  else if (last.seq === U64_MAX) id = { ms: last.ms === U64_MAX ? 0 : u64Inc(last.ms), seq: 0 };
  else id = { ms: last.ms, seq: u64Inc(last.seq) };
  if (compareStreamId(id, last) <= 0) return APPEND_ID_TOO_SMALL;

  const buf = args.buffer;
  let totelelen = 0;
  for (let i = 0; i < numFields * 2; i++) totelelen += args.lengths[first + i]!;
  if (totelelen > STREAM_LISTPACK_MAX_SIZE) return APPEND_TOO_LARGE;

  let node = s.nodeCount - 1;
  if (node >= 0) {
    let maxBytes = limits.streamNodeMaxBytes;
    if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
    const page = s.page(node);
    const off = s.offset(node);
    let full = lpBytes(page, off) + totelelen >= maxBytes;
    if (!full && limits.streamNodeMaxEntries > 0) {
      const p = lpFirst(page, off);
      const count = lpGetInteger(page, p) + lpGetInteger(page, lpNext(page, off, p));
      full = count >= limits.streamNodeMaxEntries;
    }
    if (full) {
      shrinkToFit(s, node);
      node = -1;
    }
  }

  let flags = 0;
  let msDelta: number | bigint = 0;
  let seqDelta: number | bigint = 0;
  let page: Uint8Array;
  let off: number;
  if (node < 0) {
    flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    let size =
      7 + lpIntegerEntrySize(1) + lpIntegerEntrySize(0) + lpIntegerEntrySize(numFields) + lpIntegerEntrySize(0);
    for (let i = 0; i < numFields; i++) {
      const a = first + 2 * i;
      size += lpStringEntrySize(buf, args.offsets[a]!, args.offsets[a]! + args.lengths[a]!);
    }
    size += entrySize(args, first, numFields, flags, 0, 0);
    // Room for the node to fill up in place, as Redis's STREAM_LISTPACK_MAX_PRE_ALLOCATE: only
    // the tail node has it, and it is given back when the node is closed (shrinkToFit).
    let prealloc = PREALLOCATE;
    if (limits.streamNodeMaxBytes > 0 && limits.streamNodeMaxBytes < prealloc) prealloc = limits.streamNodeMaxBytes;
    const handle = s.memory.alloc(Math.max(size, prealloc));
    page = s.pool.pageOf(handle);
    off = s.pool.offsetOf(handle);
    lpNew(page, off);
    beginTail(page, off);
    putTailInteger(1);
    putTailInteger(0);
    putTailInteger(numFields);
    for (let i = 0; i < numFields; i++) {
      const a = first + 2 * i;
      putTailString(buf, args.offsets[a]!, args.offsets[a]! + args.lengths[a]!);
    }
    putTailInteger(0);
    endTail();
    s.pushNode(handle, id);
  } else {
    msDelta = u64Delta(id.ms, s.masters.ms(node));
    seqDelta = u64Delta(id.seq, s.masters.seq(node));
    page = s.page(node);
    off = s.offset(node);
    const countP = lpFirst(page, off);
    const count = lpGetInteger(page, countP);
    let p = lpNext(page, off, lpNext(page, off, countP));
    const masterFields = lpGetInteger(page, p);
    p = lpNext(page, off, p);
    if (numFields === masterFields) {
      let i = 0;
      for (; i < masterFields; i++) {
        const a = first + 2 * i;
        if (!lpCompare(page, p, buf, args.offsets[a]!, args.offsets[a]! + args.lengths[a]!)) break;
        p = lpNext(page, off, p);
      }
      if (i === masterFields) flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
    }
    // The entry count is a 7-bit immediate below 128: bumped in place, no resize.
    const inPlace = count < 127 && page[countP] === count;
    const total =
      (inPlace ? lpBytes(page, off) : lpReplaceIntegerSize(page, off, countP, count + 1)) +
      entrySize(args, first, numFields, flags, msDelta, seqDelta);
    if (growTo(s, node, total)) {
      page = s.page(node);
      off = s.offset(node);
    }
    if (inPlace) page[off + 6] = count + 1;
    else lpReplaceInteger(page, off, lpFirst(page, off), count + 1);
  }

  beginTail(page, off);
  putTailInteger(flags);
  putTailInteger(msDelta);
  putTailInteger(seqDelta);
  const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
  if (!same) putTailInteger(numFields);
  for (let i = 0; i < numFields; i++) {
    const a = first + 2 * i;
    if (!same) putTailString(buf, args.offsets[a]!, args.offsets[a]! + args.lengths[a]!);
    putTailString(buf, args.offsets[a + 1]!, args.offsets[a + 1]! + args.lengths[a + 1]!);
  }
  putTailInteger(lpCountOf(numFields, flags));
  endTail();

  s.length++;
  s.entriesAdded = u64Inc(s.entriesAdded);
  s.lastId = id;
  if (s.length === 1) s.firstId = id;
  appendedId = id;
  return APPEND_OK;
}

/** The lp-count field of an entry: how many elements precede it within the entry. */
function lpCountOf(numFields: number, flags: number): number {
  let n = numFields + 3;
  if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) === 0) n += numFields + 1;
  return n;
}

/** Bytes one entry takes in a node. */
function entrySize(
  args: FieldArgs,
  first: number,
  numFields: number,
  flags: number,
  msDiff: number | bigint,
  seqDiff: number | bigint,
): number {
  const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
  let size = tailIntegerSize(flags) + tailIntegerSize(msDiff) + tailIntegerSize(seqDiff);
  if (!same) size += tailIntegerSize(numFields);
  const buf = args.buffer;
  for (let i = 0; i < numFields; i++) {
    const a = first + 2 * i;
    if (!same) size += tailStringSize(buf, args.offsets[a]!, args.offsets[a]! + args.lengths[a]!);
    size += tailStringSize(buf, args.offsets[a + 1]!, args.offsets[a + 1]! + args.lengths[a + 1]!);
  }
  return size + tailIntegerSize(lpCountOf(numFields, flags));
}

/** Grows node `i`'s allocation to hold `size` bytes, with slack so most appends edit in place. */
export function growTo(s: StreamObject, i: number, size: number): boolean {
  if (s.inSegment(i)) {
    if (size <= lpBytes(s.page(i), s.offset(i))) return false;
    s.unseal(i, size);
    return true;
  }
  const handle = s.handles[i] as KvHandle;
  const capacity = s.pool.sizeOf(handle);
  if (size <= capacity) return false;
  const target = Math.max(size, Math.min(capacity + (capacity >>> 1), capacity + 4096));
  s.setHandle(i, s.memory.realloc(handle, target));
  return true;
}

/**
 * Gives closed node `i`'s unused bytes back (`lpShrinkToFit`): packed into a segment, or its
 * allocation shrunk; a closed node stays as it is.
 */
export function shrinkToFit(s: StreamObject, i: number): void {
  const bytes = lpBytes(s.page(i), s.offset(i));
  if (s.inSegment(i)) return;
  const handle = s.handles[i] as KvHandle;
  if (s.pool.usableSizeFor(bytes) < s.pool.usableSize(handle)) s.setHandle(i, s.memory.realloc(handle, bytes));
  s.closed(i, bytes);
}
