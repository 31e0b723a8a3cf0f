import { growInt32, growUint8 } from "../shared/bits.js";

const NO_PAGE = -1;
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_WORDS = new Int32Array(0);

/**
 * The pages of a kv-pool and their life cycle: which class owns each page, its free-slot list,
 * how far its slots have been handed out, and the per-slot state bytes that hold generations.
 *
 * Per-page data lives in parallel typed arrays indexed by page number (no object per page beyond
 * the page's own views), so the allocator's hot path is a handful of typed-array loads.
 *
 * Page policy (memcached's slab reassignment, restricted to pages that are already empty, since
 * live handles cannot move):
 * - a class allocates from the head of its list of pages with free slots; a full page that gets
 *   a slot back is put at the head, so holes are refilled before sparse pages are touched;
 * - a page that becomes empty leaves its class at once, unless it is the only page of the class
 *   with free slots (then it stays as the class's standby, which stops a class that oscillates
 *   around a page boundary from churning pages);
 * - a class that needs a page takes, in order: a retained free page, another class's standby
 *   page that has stayed empty since an earlier request passed it over (a second chance: values
 *   that grow through several classes, like a set gaining members one by one, empty and refill
 *   each class's standby page on every command, and taking those pages made every step of every
 *   command reassign a page), then a new `ArrayBuffer`, and only when none can be had any standby;
 * - at most `retainedFreePages` unassigned pages keep their buffers; further pages are dropped
 *   so the memory goes back to the system when the garbage collector frees the buffer.
 */
export class SlabPageTable {
  /** Bytes of each page, indexed by page number; dropped pages hold an empty array. */
  pages: Uint8Array[] = [EMPTY_BYTES];
  /** The same pages viewed as 32-bit words: free slots link to the next free slot here. */
  words: Int32Array[] = [EMPTY_WORDS];
  /** Per-slot state bytes (`generation << 1 | live`), one table per page. */
  states: Uint8Array[] = [EMPTY_BYTES];
  /** Class owning each page, or -1 while the page is unassigned. */
  pageClass = new Int32Array(8).fill(NO_PAGE);
  /** Live slots in each page. */
  live = new Int32Array(8);
  /** First slot of each page's free list, or -1. */
  freeHead = new Int32Array(8).fill(NO_PAGE);
  /** Slots of each page handed out at least once; slots at or past it were never used. */
  bump = new Int32Array(8);
  /** Links of each class's doubly linked list of pages that have free slots. */
  next = new Int32Array(8).fill(NO_PAGE);
  prev = new Int32Array(8).fill(NO_PAGE);
  /** First page with free slots, per class, or -1. */
  readonly partialHead: Int32Array;
  /** Pages owned by each class. */
  readonly classPages: Int32Array;
  /** Pages that are unassigned but keep their buffer, ready for any class. */
  freePageCount = 0;
  /** Page numbers handed out so far (page 0 is reserved so that no handle is 0). */
  pageLimit = 1;
  /** Pages currently holding a buffer (assigned or retained free). */
  bufferedPages = 0;
  /** Bytes held by slot state tables. */
  stateBytes = 0;
  /** Times a page was given to a class (a new page, a free one or another class's standby). */
  assignments = 0;

  private tableClass = new Int32Array(8).fill(NO_PAGE);
  /** Slots of a page's state table ever handed out (its bump's high-water mark across reuses). */
  private tableHigh = new Int32Array(8);
  /** Generation every slot of a page's next state table starts at (see `retireTable`). */
  private genBase = new Uint8Array(8);
  private freePages = new Int32Array(8);
  private droppedPages = new Int32Array(8);
  private droppedCount = 0;
  private readonly standby: Int32Array;
  /** Per class: its standby page has emptied since a page request last passed it over. */
  private readonly standbyRecent: Uint8Array;

  constructor(
    private readonly pageSize: number,
    private readonly slotsPerPage: Int32Array,
    private readonly maxPages: number,
    public retainedFreePages: number,
  ) {
    const classes = slotsPerPage.length;
    this.partialHead = new Int32Array(classes).fill(NO_PAGE);
    this.classPages = new Int32Array(classes);
    this.standby = new Int32Array(classes).fill(NO_PAGE);
    this.standbyRecent = new Uint8Array(classes);
  }

  /** Assigns a page to `cls` and puts it at the head of the class's free-slot list; -1 if none. */
  acquire(cls: number): number {
    let page =
      this.freePageCount > 0 ? (this.freePages[--this.freePageCount] as number) : this.stealStandby(cls, false);
    if (page === NO_PAGE) {
      page = this.newPage();
      if (page === NO_PAGE) page = this.stealStandby(cls, true);
      if (page === NO_PAGE) return NO_PAGE;
    }
    this.assign(page, cls);
    return page;
  }

  /** Adds `page` at the head of the free-slot list of `cls`. */
  linkPartial(cls: number, page: number): void {
    const head = this.partialHead[cls] as number;
    this.prev[page] = NO_PAGE;
    this.next[page] = head;
    if (head !== NO_PAGE) this.prev[head] = page;
    this.partialHead[cls] = page;
  }

  /** Removes `page` from the free-slot list of `cls`. */
  unlinkPartial(cls: number, page: number): void {
    const before = this.prev[page] as number;
    const after = this.next[page] as number;
    if (before === NO_PAGE) this.partialHead[cls] = after;
    else this.next[before] = after;
    if (after !== NO_PAGE) this.prev[after] = before;
    this.prev[page] = NO_PAGE;
    this.next[page] = NO_PAGE;
  }

  /** Applies the empty-page policy to `page` of `cls`, whose last live slot was just freed. */
  pageEmptied(cls: number, page: number): void {
    if (this.partialHead[cls] === page && this.next[page] === NO_PAGE) {
      this.standby[cls] = page;
      this.standbyRecent[cls] = 1;
      return;
    }
    this.unlinkPartial(cls, page);
    this.release(cls, page);
  }

  /** Returns every assigned page to the free pool, marking all live slots freed. */
  releaseAll(): void {
    for (let page = 1; page < this.pageLimit; page++) {
      const cls = this.pageClass[page] as number;
      if (cls === NO_PAGE) continue;
      const state = this.states[page] as Uint8Array;
      const used = this.bump[page] as number;
      for (let slot = 0; slot < used; slot++) {
        const s = state[slot] as number;
        if ((s & 1) !== 0) state[slot] = (s + 2) & 0xfe;
      }
      this.prev[page] = NO_PAGE;
      this.next[page] = NO_PAGE;
      this.release(cls, page);
    }
    this.partialHead.fill(NO_PAGE);
    this.standby.fill(NO_PAGE);
  }

  /** Drops retained free pages beyond `retainedFreePages`. */
  trimFreePages(): void {
    while (this.freePageCount > this.retainedFreePages) this.drop(this.freePages[--this.freePageCount] as number);
  }

  private release(cls: number, page: number): void {
    this.pageClass[page] = NO_PAGE;
    this.classPages[cls] = (this.classPages[cls] as number) - 1;
    if (this.standby[cls] === page) this.standby[cls] = NO_PAGE;
    if (this.freePageCount < this.retainedFreePages) {
      if (this.freePageCount >= this.freePages.length)
        this.freePages = growInt32(this.freePages, this.freePageCount + 1, 0);
      this.freePages[this.freePageCount++] = page;
    } else {
      this.drop(page);
    }
  }

  private drop(page: number): void {
    this.pages[page] = EMPTY_BYTES;
    this.words[page] = EMPTY_WORDS;
    this.retireTable(page);
    this.stateBytes -= (this.states[page] as Uint8Array).length;
    this.states[page] = EMPTY_BYTES;
    this.tableClass[page] = NO_PAGE;
    this.bufferedPages--;
    if (this.droppedCount >= this.droppedPages.length)
      this.droppedPages = growInt32(this.droppedPages, this.droppedCount + 1, 0);
    this.droppedPages[this.droppedCount++] = page;
  }

  /**
   * Takes another class's empty standby page for `cls`. Unless `any`, a page that emptied since
   * the last request is only marked (its second chance) and passed over.
   */
  private stealStandby(cls: number, any: boolean): number {
    const classes = this.standby.length;
    for (let other = 0; other < classes; other++) {
      if (other === cls) continue;
      const page = this.standby[other] as number;
      if (page === NO_PAGE) continue;
      if (!any && this.standbyRecent[other] === 1) {
        this.standbyRecent[other] = 0;
        continue;
      }
      this.standby[other] = NO_PAGE;
      if (this.pageClass[page] !== other || this.live[page] !== 0) continue;
      this.unlinkPartial(other, page);
      this.pageClass[page] = NO_PAGE;
      this.classPages[other] = (this.classPages[other] as number) - 1;
      return page;
    }
    return NO_PAGE;
  }

  private newPage(): number {
    let page: number;
    const reused = this.droppedCount > 0;
    if (reused) {
      page = this.droppedPages[--this.droppedCount] as number;
    } else {
      if (this.pageLimit >= this.maxPages) return NO_PAGE;
      page = this.pageLimit++;
      if (page >= this.pageClass.length) this.growPageArrays(page + 1);
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(this.pageSize);
    } catch {
      // The process itself is out of memory: report it like a budget failure.
      if (reused) this.droppedCount++;
      else this.pageLimit--;
      return NO_PAGE;
    }
    if (page === this.pages.length) {
      this.pages.push(bytes);
      this.words.push(new Int32Array(bytes.buffer));
      this.states.push(EMPTY_BYTES);
    } else {
      this.pages[page] = bytes;
      this.words[page] = new Int32Array(bytes.buffer);
    }
    this.bufferedPages++;
    return page;
  }

  private assign(page: number, cls: number): void {
    this.assignments++;
    if (this.tableClass[page] === cls) {
      const used = this.bump[page] as number;
      if (used > (this.tableHigh[page] as number)) this.tableHigh[page] = used;
    } else {
      if (this.tableClass[page] !== NO_PAGE) this.retireTable(page);
      const slots = this.slotsPerPage[cls] as number;
      const table = new Uint8Array(slots);
      const base = this.genBase[page] as number;
      if (base !== 0) table.fill(base << 1);
      this.stateBytes += slots - (this.states[page] as Uint8Array).length;
      this.states[page] = table;
      this.tableClass[page] = cls;
      this.tableHigh[page] = 0;
    }
    this.pageClass[page] = cls;
    this.live[page] = 0;
    this.freeHead[page] = NO_PAGE;
    this.bump[page] = 0;
    this.classPages[cls] = (this.classPages[cls] as number) + 1;
    this.linkPartial(cls, page);
  }

  /**
   * Before a page's state table is discarded, moves the page's generation base past every
   * generation the table reached, so the next table of this page number starts beyond any
   * handle issued from this one: a stale handle stays detectable across page reuse until the
   * 7-bit generation has advanced 128 steps in total, the same bound as for a single slot.
   */
  private retireTable(page: number): void {
    const table = this.states[page] as Uint8Array;
    const base = this.genBase[page] as number;
    let advance = 0;
    // Slots past the high-water mark were never handed out: they still hold the base.
    const used = Math.max(this.tableHigh[page] as number, this.bump[page] as number);
    for (let slot = 0; slot < used; slot++) {
      const steps = (((table[slot] as number) >>> 1) - base) & 0x7f;
      if (steps > advance) advance = steps;
    }
    this.genBase[page] = (base + advance + 1) & 0x7f;
  }

  private growPageArrays(minLength: number): void {
    this.pageClass = growInt32(this.pageClass, minLength, NO_PAGE);
    this.live = growInt32(this.live, minLength, 0);
    this.freeHead = growInt32(this.freeHead, minLength, NO_PAGE);
    this.bump = growInt32(this.bump, minLength, 0);
    this.next = growInt32(this.next, minLength, NO_PAGE);
    this.prev = growInt32(this.prev, minLength, NO_PAGE);
    this.tableClass = growInt32(this.tableClass, minLength, NO_PAGE);
    this.tableHigh = growInt32(this.tableHigh, minLength, 0);
    this.genBase = growUint8(this.genBase, minLength);
  }
}
