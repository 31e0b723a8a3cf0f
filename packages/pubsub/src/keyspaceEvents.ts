/**
 * Keyspace-notification classes (`notify-keyspace-events`) and event names, as Redis 7.0
 * `server.h` and `notify.c` define them.
 *
 * The flag values are Redis's own bits so they can be stored in a config table and tested with
 * `flags & NOTIFY_LIST`. {@link keyspaceEventsStringToFlags} and
 * {@link keyspaceEventsFlagsToString} round-trip exactly like `CONFIG SET` / `CONFIG GET`:
 * `"KEA"` reads back as `"AKE"`, `"gKE$lshzxetd"` as `"AKE"`, and `"An"` as `"A"` — `n` (new key)
 * is not part of `A` and Redis omits it whenever `A` is printed, even though the bit stays set.
 *
 * @module
 */

/** `K`: publish `__keyspace@<db>__:<key>` → event. */
export const NOTIFY_KEYSPACE = 1 << 0;
/** `E`: publish `__keyevent@<db>__:<event>` → key. */
export const NOTIFY_KEYEVENT = 1 << 1;
/** `g`: generic commands (DEL, EXPIRE, RENAME, …). */
export const NOTIFY_GENERIC = 1 << 2;
/** `$`: string commands. */
export const NOTIFY_STRING = 1 << 3;
/** `l`: list commands. */
export const NOTIFY_LIST = 1 << 4;
/** `s`: set commands. */
export const NOTIFY_SET = 1 << 5;
/** `h`: hash commands. */
export const NOTIFY_HASH = 1 << 6;
/** `z`: sorted-set commands. */
export const NOTIFY_ZSET = 1 << 7;
/** `x`: a key expired (when it is actually deleted, lazily or by the active cycle). */
export const NOTIFY_EXPIRED = 1 << 8;
/** `e`: a key was evicted for maxmemory. */
export const NOTIFY_EVICTED = 1 << 9;
/** `t`: stream commands. */
export const NOTIFY_STREAM = 1 << 10;
/** `m`: a read found no key (not part of `A`). */
export const NOTIFY_KEY_MISS = 1 << 11;
/** Module-only: a key was loaded from RDB (no class letter). */
export const NOTIFY_LOADED = 1 << 12;
/** `d`: module key-type events. */
export const NOTIFY_MODULE = 1 << 13;
/** `n`: a new key was created (not part of `A`). */
export const NOTIFY_NEW = 1 << 14;
/** `A`: alias for `g$lshzxetd`. */
export const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE;

/** The error text `CONFIG SET notify-keyspace-events` gives for an unknown class character. */
export const INVALID_KEYSPACE_EVENTS_MESSAGE = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/**
 * Parses a `notify-keyspace-events` value (`keyspaceEventsStringToFlags`).
 *
 * @returns the flags, or -1 if any character is not a class letter (Redis rejects the value
 *   with {@link INVALID_KEYSPACE_EVENTS_MESSAGE})
 */
export function keyspaceEventsStringToFlags(classes: string): number {
  let flags = 0;
  for (let i = 0; i < classes.length; i++) {
    switch (classes[i]) {
      case "A":
        flags |= NOTIFY_ALL;
        break;
      case "g":
        flags |= NOTIFY_GENERIC;
        break;
      case "$":
        flags |= NOTIFY_STRING;
        break;
      case "l":
        flags |= NOTIFY_LIST;
        break;
      case "s":
        flags |= NOTIFY_SET;
        break;
      case "h":
        flags |= NOTIFY_HASH;
        break;
      case "z":
        flags |= NOTIFY_ZSET;
        break;
      case "x":
        flags |= NOTIFY_EXPIRED;
        break;
      case "e":
        flags |= NOTIFY_EVICTED;
        break;
      case "K":
        flags |= NOTIFY_KEYSPACE;
        break;
      case "E":
        flags |= NOTIFY_KEYEVENT;
        break;
      case "t":
        flags |= NOTIFY_STREAM;
        break;
      case "m":
        flags |= NOTIFY_KEY_MISS;
        break;
      case "d":
        flags |= NOTIFY_MODULE;
        break;
      case "n":
        flags |= NOTIFY_NEW;
        break;
      default:
        return -1;
    }
  }
  return flags;
}

/** Formats flags as `CONFIG GET notify-keyspace-events` shows them (`keyspaceEventsFlagsToString`). */
export function keyspaceEventsFlagsToString(flags: number): string {
  let out = "";
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    out += "A";
  } else {
    if (flags & NOTIFY_GENERIC) out += "g";
    if (flags & NOTIFY_STRING) out += "$";
    if (flags & NOTIFY_LIST) out += "l";
    if (flags & NOTIFY_SET) out += "s";
    if (flags & NOTIFY_HASH) out += "h";
    if (flags & NOTIFY_ZSET) out += "z";
    if (flags & NOTIFY_EXPIRED) out += "x";
    if (flags & NOTIFY_EVICTED) out += "e";
    if (flags & NOTIFY_STREAM) out += "t";
    if (flags & NOTIFY_MODULE) out += "d";
    if (flags & NOTIFY_NEW) out += "n";
  }
  if (flags & NOTIFY_KEYSPACE) out += "K";
  if (flags & NOTIFY_KEYEVENT) out += "E";
  if (flags & NOTIFY_KEY_MISS) out += "m";
  return out;
}

/**
 * The event names Redis 7.0 publishes, by the class flag each is published under (checked
 * against redis-server 7.0.15 with one class enabled at a time). Commands reuse names: `SETEX`
 * emits `set` + `expire`, `LMOVE` `lpop`/`rpop` + `lpush`/`rpush`, `BITOP` `set`, `GETDEL` and
 * `UNLINK` `del`, `ZADD INCR` `zincr`, `PFMERGE` `pfadd`, `BITFIELD` `setbit`; `SORT … STORE`
 * publishes `sortstore` under the *list* class.
 */
export const KEYSPACE_EVENT_NAMES = {
  generic: ["del", "expire", "persist", "rename_from", "rename_to", "move_from", "move_to", "copy_to", "restore"],
  string: ["set", "setrange", "incrby", "incrbyfloat", "append", "setbit", "pfadd"],
  list: ["lpush", "rpush", "lpop", "rpop", "linsert", "lset", "lrem", "ltrim", "sortstore"],
  set: ["sadd", "srem", "spop", "sinterstore", "sunionstore", "sdiffstore"],
  hash: ["hset", "hincrby", "hincrbyfloat", "hdel"],
  zset: [
    "zadd",
    "zincr",
    "zrem",
    "zremrangebyscore",
    "zremrangebyrank",
    "zremrangebylex",
    "zpopmin",
    "zpopmax",
    "zunionstore",
    "zinterstore",
    "zdiffstore",
    "zrangestore",
  ],
  stream: [
    "xadd",
    "xtrim",
    "xdel",
    "xsetid",
    "xgroup-create",
    "xgroup-createconsumer",
    "xgroup-delconsumer",
    "xgroup-setid",
    "xgroup-destroy",
  ],
  expired: ["expired"],
  evicted: ["evicted"],
  keyMiss: ["keymiss"],
  new: ["new"],
} as const;

/** Every event name Redis 7.0 itself publishes (modules may publish others). */
export type KeyspaceEventName = (typeof KEYSPACE_EVENT_NAMES)[keyof typeof KEYSPACE_EVENT_NAMES][number];
