import type { ConsumerGroup } from "./ConsumerGroups.js";
import { ENTRIES_READ_INVALID } from "./ConsumerGroups.js";
import type { StreamObject } from "./StreamObject.js";
import { compareStreamId, isZeroStreamId, type StreamId, U64_MAX } from "./streamId.js";

/** `streamRangeHasTombstones`: a deleted entry may lie between `start` and `end` (null: open). */
export function streamRangeHasTombstones(s: StreamObject, start: StreamId | null, end: StreamId | null): boolean {
  if (s.length === 0 || isZeroStreamId(s.maxDeletedId)) return false;
  if (compareStreamId(s.firstId, s.maxDeletedId) > 0) return false;
  const from = start ?? { ms: 0n, seq: 0n };
  const to = end ?? { ms: U64_MAX, seq: U64_MAX };
  return compareStreamId(from, s.maxDeletedId) <= 0 && compareStreamId(s.maxDeletedId, to) <= 0;
}

/** `streamEstimateDistanceFromFirstEverEntry`: the logical read counter of `id`, or -1 when unknown. */
export function streamEstimateDistance(s: StreamObject, id: StreamId): bigint {
  if (s.entriesAdded === 0n) return 0n;
  if (s.length === 0 && compareStreamId(id, s.lastId) < 1) return s.entriesAdded;
  const cmpLast = compareStreamId(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return ENTRIES_READ_INVALID;
  const cmpFirst = compareStreamId(id, s.firstId);
  if (isZeroStreamId(s.maxDeletedId) || compareStreamId(s.maxDeletedId, s.firstId) < 0) {
    if (cmpFirst < 0) return s.entriesAdded - BigInt(s.length);
    if (cmpFirst === 0) return s.entriesAdded - BigInt(s.length) + 1n;
  }
  return ENTRIES_READ_INVALID;
}

/** `streamReplyWithCGLag`'s value: the group's lag, or null when it cannot be known. */
export function streamGroupLag(s: StreamObject, g: ConsumerGroup): bigint | null {
  if (s.entriesAdded === 0n) return 0n;
  if (g.entriesRead !== ENTRIES_READ_INVALID && !streamRangeHasTombstones(s, g.lastId, null))
    return s.entriesAdded - g.entriesRead;
  const read = streamEstimateDistance(s, g.lastId);
  return read === ENTRIES_READ_INVALID ? null : s.entriesAdded - read;
}

/** What `streamReplyWithRange` does to the group when it delivers `id` past its last ID. */
export function advanceGroup(s: StreamObject, g: ConsumerGroup, id: StreamId): void {
  if (compareStreamId(id, g.lastId) <= 0) return;
  if (g.entriesRead !== ENTRIES_READ_INVALID && !streamRangeHasTombstones(s, id, null)) g.entriesRead++;
  else if (s.entriesAdded !== 0n) g.entriesRead = streamEstimateDistance(s, id);
  g.lastId = id;
}
