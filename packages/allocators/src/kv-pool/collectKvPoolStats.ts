import type { KvPoolClassStats, KvPoolStats } from "./KvPoolOptions.js";
import type { LargeObjectTable } from "./LargeObjectTable.js";
import type { SizeClassTable } from "./SizeClassTable.js";
import type { SlabPageTable } from "./SlabPageTable.js";

/** The counters a pool keeps itself; the rest of the stats are derived from its tables. */
export type KvPoolCounters = Pick<
  KvPoolStats,
  "budget" | "usedBytes" | "requestedBytes" | "externalBytes" | "liveAllocations" | "pageSize"
>;

/** Builds a {@link KvPoolStats} snapshot by walking the page table once. */
export function collectKvPoolStats(
  table: SlabPageTable,
  large: LargeObjectTable,
  sizeClasses: SizeClassTable,
  counters: KvPoolCounters,
): KvPoolStats {
  const count = sizeClasses.count;
  const liveSlots = new Float64Array(count);
  for (let page = 1; page < table.pageLimit; page++) {
    const cls = table.pageClass[page] as number;
    if (cls >= 0) liveSlots[cls] = (liveSlots[cls] as number) + (table.live[page] as number);
  }
  const classes: KvPoolClassStats[] = [];
  let assignedPages = 0;
  for (let cls = 0; cls < count; cls++) {
    const pages = table.classPages[cls] as number;
    const slotsPerPage = sizeClasses.slotsPerPage[cls] as number;
    const slotSize = sizeClasses.sizes[cls] as number;
    const live = liveSlots[cls] as number;
    assignedPages += pages;
    classes.push({
      index: cls,
      slotSize,
      slotsPerPage,
      pages,
      liveSlots: live,
      freeSlots: pages * slotsPerPage - live,
      usedBytes: live * slotSize,
    });
  }
  const heldBytes = table.bufferedPages * counters.pageSize + large.bytes + table.stateBytes;
  const allocated = counters.usedBytes - counters.externalBytes;
  return {
    ...counters,
    pages: table.bufferedPages,
    freePages: table.bufferedPages - assignedPages,
    largeObjects: large.count,
    largeBytes: large.bytes,
    metadataBytes: table.stateBytes,
    pageAssignments: table.assignments,
    heldBytes,
    fragmentationRatio: allocated === 0 ? 1 : heldBytes / allocated,
    classes,
  };
}
