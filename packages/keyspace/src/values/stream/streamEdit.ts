import {
  lpBytes,
  lpFirst,
  lpGetInteger,
  lpNext,
  lpPrev,
  lpReplaceInteger,
  lpReplaceIntegerSize,
} from "@nedis/rdb/listpack";
import { lpDelta, StreamIterator } from "./StreamIterator.js";
import type { StreamObject } from "./StreamObject.js";
import { growTo, STREAM_ITEM_FLAG_DELETED, STREAM_ITEM_FLAG_SAMEFIELDS } from "./streamAppend.js";
import { compareStreamId, maxStreamId, type StreamId, u64AddDelta, zeroStreamId } from "./streamId.js";

/** Trim strategies (TRIM_STRATEGY_*). */
export const TRIM_NONE = 0;
export const TRIM_MAXLEN = 1;
export const TRIM_MINID = 2;

/** What XADD and XTRIM parsed (`streamAddTrimArgs`, the trimming half). */
export interface StreamTrimArgs {
  strategy: number;
  approx: boolean;
  /** Most entries to delete (0: no limit). */
  limit: number;
  maxlen: number;
  minid: StreamId;
}

const iterator = new StreamIterator();

/** Replaces node `i`'s entry count (`which` 0) or deleted count (1), making room first. */
function replaceCounter(s: StreamObject, i: number, which: 0 | 1, value: number): void {
  let page = s.page(i);
  let off = s.offset(i);
  let p = lpFirst(page, off);
  if (which === 1) p = lpNext(page, off, p);
  if (growTo(s, i, lpReplaceIntegerSize(page, off, p, value))) {
    page = s.page(i);
    off = s.offset(i);
    p = lpFirst(page, off);
    if (which === 1) p = lpNext(page, off, p);
  }
  lpReplaceInteger(page, off, p, value);
}

/** Marks the entry whose flags are at `flagsP` in node `node` deleted (`streamIteratorRemoveEntry`). */
function removeAt(s: StreamObject, node: number, flagsP: number, flags: number): void {
  const page = s.page(node);
  const off = s.offset(node);
  lpReplaceInteger(page, off, flagsP, flags | STREAM_ITEM_FLAG_DELETED);
  const count = lpGetInteger(page, lpFirst(page, off));
  if (count === 1) s.removeNode(node);
  else {
    const deleted = lpGetInteger(page, lpNext(page, off, lpFirst(page, off)));
    replaceCounter(s, node, 0, count - 1);
    replaceCounter(s, node, 1, deleted + 1);
  }
  s.length--;
}

/** `streamDeleteItem`: true when the entry `id` existed and is now deleted. */
export function streamDeleteItem(s: StreamObject, id: StreamId): boolean {
  const it = iterator.begin(s, id, id, false);
  if (!it.next()) return false;
  removeAt(s, it.node, it.flagsP, it.flags);
  return true;
}

/** `streamEntryExists`: the entry `id` is present and not deleted. */
export function streamEntryExists(s: StreamObject, id: StreamId): boolean {
  return iterator.begin(s, id, id, false).next();
}

/** `streamGetEdgeID`: the first (or last) entry's ID; max (or 0-0) when there is none. */
export function streamGetEdgeId(s: StreamObject, first: boolean, skipTombstones: boolean): StreamId {
  const it = iterator.begin(s, null, null, !first);
  it.skipTombstones = skipTombstones;
  if (it.next()) return it.id;
  return first ? maxStreamId() : zeroStreamId();
}

/** `lpGetEdgeStreamID(lp, 0, …)`: the ID of the last entry of node `i` (deleted or not). */
function lastIdOfNode(s: StreamObject, i: number): StreamId {
  const page = s.page(i);
  const off = s.offset(i);
  const master = s.masterId(i);
  // From the end: the lp-count says how far back the entry's flags are.
  const last = off + lpBytes(page, off) - 1;
  let p = prevElement(page, off, last);
  let count = lpGetInteger(page, p);
  while (count-- > 0) p = prevElement(page, off, p);
  p = lpNext(page, off, p);
  const ms = u64AddDelta(master.ms, lpDelta(page, p));
  p = lpNext(page, off, p);
  return { ms, seq: u64AddDelta(master.seq, lpDelta(page, p)) };
}

function prevElement(page: Uint8Array, off: number, p: number): number {
  return lpPrev(page, off, p);
}

/** `streamTrim`: removes entries from the head; returns how many. The caller passed `modify`. */
export function streamTrim(s: StreamObject, args: StreamTrimArgs): number {
  if (args.strategy === TRIM_NONE) return 0;
  const maxlen = args.maxlen;
  const limit = args.limit;
  let deleted = 0;
  while (s.nodeCount > 0) {
    if (args.strategy === TRIM_MAXLEN && s.length <= maxlen) break;
    const node = 0;
    const entries = lpGetInteger(s.page(node), lpFirst(s.page(node), s.offset(node)));
    if (limit > 0 && deleted + entries > limit) break;
    let removeNode: boolean;
    const master = s.masterId(node);
    if (args.strategy === TRIM_MAXLEN) removeNode = s.length - entries >= maxlen;
    else removeNode = compareStreamId(lastIdOfNode(s, node), args.minid) < 0;
    if (removeNode) {
      s.removeNode(node);
      s.length -= entries;
      deleted += entries;
      continue;
    }
    if (args.approx) break;

    let deletedFromLp = 0;
    const page = s.page(node);
    const off = s.offset(node);
    let p = lpNext(page, off, lpNext(page, off, lpFirst(page, off)));
    const masterFields = lpGetInteger(page, p);
    p = lpNext(page, off, p);
    for (let j = 0; j < masterFields; j++) p = lpNext(page, off, p);
    p = lpNext(page, off, p);
    while (p >= 0) {
      const flagsP = p;
      const flags = lpGetInteger(page, p);
      p = lpNext(page, off, p);
      const msDelta = lpDelta(page, p);
      p = lpNext(page, off, p);
      const seqDelta = lpDelta(page, p);
      p = lpNext(page, off, p);
      let stop: boolean;
      if (args.strategy === TRIM_MAXLEN) stop = s.length <= maxlen;
      else {
        const id = { ms: u64AddDelta(master.ms, msDelta), seq: u64AddDelta(master.seq, seqDelta) };
        stop = compareStreamId(id, args.minid) >= 0;
      }
      if (stop) break;
      let skip: number;
      if ((flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0) skip = masterFields;
      else {
        skip = lpGetInteger(page, p) * 2;
        p = lpNext(page, off, p);
      }
      while (skip-- > 0) p = lpNext(page, off, p);
      p = lpNext(page, off, p);
      if ((flags & STREAM_ITEM_FLAG_DELETED) === 0) {
        // Same size: flags stay below 128.
        lpReplaceInteger(page, off, flagsP, flags | STREAM_ITEM_FLAG_DELETED);
        deletedFromLp++;
        s.length--;
      }
    }
    deleted += deletedFromLp;
    const markedDeleted = lpGetInteger(page, lpNext(page, off, lpFirst(page, off)));
    replaceCounter(s, node, 0, entries - deletedFromLp);
    replaceCounter(s, node, 1, markedDeleted + deletedFromLp);
    break;
  }
  if (s.length === 0) s.firstId = zeroStreamId();
  else if (deleted > 0) s.firstId = streamGetEdgeId(s, true, true);
  return deleted;
}

/** `streamLastValidID`: the last entry not deleted (0-0 when empty). */
export function streamLastValidId(s: StreamObject): StreamId {
  const it = iterator.begin(s, null, null, true);
  return it.next() ? it.id : zeroStreamId();
}
