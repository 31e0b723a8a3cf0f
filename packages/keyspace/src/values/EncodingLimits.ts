/**
 * The thresholds at which a small collection leaves its packed encoding (redis.conf's
 * `*-max-listpack-*`, `set-max-intset-entries`, `list-max-listpack-size`, `list-compress-depth`).
 * One mutable object per keyspace (`Keyspace.limits`): the server's config binder writes it,
 * each type reads it when it decides to convert.
 */
export interface EncodingLimits {
  /** `hash-max-listpack-entries`: a hash with more fields becomes a hashtable. */
  hashMaxListpackEntries: number;
  /** `hash-max-listpack-value`: a field or value longer than this makes it a hashtable. */
  hashMaxListpackValue: number;
  /** `set-max-intset-entries`: an integer set with more members becomes a hashtable. */
  setMaxIntsetEntries: number;
  /** `zset-max-listpack-entries`: a sorted set with more members becomes a skiplist. */
  zsetMaxListpackEntries: number;
  /** `zset-max-listpack-value`: a member longer than this makes it a skiplist. */
  zsetMaxListpackValue: number;
  /**
   * `list-max-listpack-size`: > 0 caps a quicklist node's element count, -1..-5 its bytes
   * (4, 8, 16, 32, 64 KiB), as Redis's `fill`.
   */
  listMaxListpackSize: number;
  /** `list-compress-depth`: nodes at each end kept uncompressed (0: none compressed). */
  listCompressDepth: number;
  /** `stream-node-max-bytes`: a stream node reaching this many bytes is closed (0: no limit). */
  streamNodeMaxBytes: number;
  /** `stream-node-max-entries`: a stream node with this many entries is closed (0: no limit). */
  streamNodeMaxEntries: number;
}

/** Redis 7.0's defaults. */
export function defaultEncodingLimits(): EncodingLimits {
  return {
    hashMaxListpackEntries: 512,
    hashMaxListpackValue: 64,
    setMaxIntsetEntries: 512,
    zsetMaxListpackEntries: 128,
    zsetMaxListpackValue: 64,
    listMaxListpackSize: -2,
    listCompressDepth: 0,
    streamNodeMaxBytes: 4096,
    streamNodeMaxEntries: 100,
  };
}
