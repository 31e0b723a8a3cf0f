import type { ConsumerGroup } from "./ConsumerGroups.js";
import { ENTRIES_READ_INVALID } from "./ConsumerGroups.js";
import type { StreamObject } from "./StreamObject.js";
import { compareStreamId, isZeroStreamId, maxStreamId, type StreamId, u64Big, zeroStreamId } from "./streamId.js";

/** `streamRangeHasTombstones`: a deleted entry may lie between `start` and `end` (null: open). */
export function streamRangeHasTombstones(s: StreamObject, start: StreamId | null, end: StreamId | null): boolean {
  if (s.length === 0 || isZeroStreamId(s.maxDeletedId)) return false;
  if (compareStreamId(s.firstId, s.maxDeletedId) > 0) return false;
  const from = start ?? zeroStreamId();
  const to = end ?? maxStreamId();
  return compareStreamId(from, s.maxDeletedId) <= 0 && compareStreamId(s.maxDeletedId, to) <= 0;
}

/** `streamEstimateDistanceFromFirstEverEntry`: the logical read counter of `id`, or -1 when unknown. */
export function streamEstimateDistance(s: StreamObject, id: StreamId): bigint {
  if (s.entriesAdded === 0) return 0n;
  const added = u64Big(s.entriesAdded);
  if (s.length === 0 && compareStreamId(id, s.lastId) < 1) return added;
  const cmpLast = compareStreamId(id, s.lastId);
  if (cmpLast === 0) return added;
  if (cmpLast > 0) return ENTRIES_READ_INVALID;
  const cmpFirst = compareStreamId(id, s.firstId);
  if (isZeroStreamId(s.maxDeletedId) || compareStreamId(s.maxDeletedId, s.firstId) < 0) {
    if (cmpFirst < 0) return added - BigInt(s.length);
    if (cmpFirst === 0) return added - BigInt(s.length) + 1n;
  }
  return ENTRIES_READ_INVALID;
}

/** `streamReplyWithCGLag`'s value: the group's lag, or null when it cannot be known. */
export function streamGroupLag(s: StreamObject, g: ConsumerGroup): bigint | null {
  if (s.entriesAdded === 0) return 0n;
  const added = u64Big(s.entriesAdded);
  if (g.entriesRead !== ENTRIES_READ_INVALID && !streamRangeHasTombstones(s, g.lastId, null))
    return added - g.entriesRead;
  const read = streamEstimateDistance(s, g.lastId);
  return read === ENTRIES_READ_INVALID ? null : added - read;
}

/** What `streamReplyWithRange` does to the group when it delivers `id` past its last ID. */
export function advanceGroup(s: StreamObject, g: ConsumerGroup, id: StreamId): void {
  if (compareStreamId(id, g.lastId) <= 0) return;
  if (g.entriesRead !== ENTRIES_READ_INVALID && !streamRangeHasTombstones(s, id, null)) g.entriesRead++;
  else if (s.entriesAdded !== 0) g.entriesRead = streamEstimateDistance(s, id);
  g.lastId = id;
}
