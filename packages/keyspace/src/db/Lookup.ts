/** Flags of {@link Database.lookupRead} (Redis's LOOKUP_*). */
export const Lookup = {
  /** Do not update the key's LRU/LFU data. */
  NoTouch: 1,
  /** Do not count a keyspace hit or miss. */
  NoStats: 2,
  /** Do not emit the `keymiss` event. */
  NoNotify: 4,
} as const;
