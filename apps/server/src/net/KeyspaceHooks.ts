import {
  KeyspaceNotifier,
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_KEY_MISS,
  NOTIFY_LIST,
  NOTIFY_LOADED,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
} from "@nedis/pubsub";
import { KeyState } from "../multi/WatchRegistry.js";
import type { ServerContext } from "../ServerContext.js";

/** The keyspace reports an event's class by its `notify-keyspace-events` letter. */
const CLASS_BITS: Record<string, number> = {
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  n: NOTIFY_NEW,
  d: NOTIFY_MODULE,
  L: NOTIFY_LOADED,
};

/**
 * Connects the keyspace's change hooks to what the server layers on top: WATCH (a touched key
 * fails EXEC), client-side caching invalidations, and keyspace notifications published through
 * the pub/sub hub (`notify-keyspace-events`). Notifications cost nothing while the flags are 0.
 */
export function installKeyspaceHooks(server: ServerContext): void {
  const ks = server.keyspace;
  const notifier = new KeyspaceNotifier(server.pubsub, 0);
  const onNotify = (type: string, event: string, db: number, key: Uint8Array, off: number, len: number): void => {
    const bit = CLASS_BITS[type];
    if (bit === undefined || (notifier.flags & bit) === 0) return;
    notifier.notifyKeyspaceEvent(bit, event, key.subarray(off, off + len), db);
  };
  const applyFlags = (flags: number): void => {
    notifier.flags = flags;
    ks.onNotify = flags === 0 ? null : onNotify;
  };
  applyFlags(server.config.get<number>("notify-keyspace-events"));
  server.config.onChange("notify-keyspace-events", (value) => applyFlags(value as number));

  ks.onKeyModified = (db, key, off, len) => {
    if (server.watches.active) server.watches.touch(db, key, off, len);
    if (server.tracking.active) server.tracking.invalidateKey(server.currentClient, key.subarray(off, off + len));
  };
  // WATCH sees keys as Redis's dictFind/keyIsExpired do: present or not, without expiring them.
  const keyState = (d: number, key: Buffer): KeyState => {
    const database = ks.db(d);
    const ref = database.find(key, 0, key.length);
    if (ref < 0) return KeyState.Absent;
    return database.isExpired(ref, ks.now()) ? KeyState.Expired : KeyState.Live;
  };
  const present = (d: number) => (key: Buffer) => keyState(d, key) !== KeyState.Absent;
  server.watches.keyState = keyState;
  // Redis's touchAllWatchedKeysInDb: watched keys present when their db is emptied are touched.
  ks.onBeforeFlush = (db) => {
    if (!server.watches.active) return;
    for (let d = db === -1 ? 0 : db; d <= (db === -1 ? ks.databases.length - 1 : db); d++) {
      server.watches.touchDb(d, present(d), null);
    }
  };
  ks.onFlush = () => {
    // The table is emptied even with no tracking client left (keys of clients that turned it off).
    if (server.tracking.active || server.tracking.keyCount > 0) server.tracking.invalidateAll(server.currentClient);
  };
  // Blocked clients: a key appearing may serve them (Redis's dbAdd → signalKeyAsReady).
  ks.onKeyAdded = (db, key, off, len) => server.blocking.signalKeyAsReady(db, key, off, len);
  ks.onSwapDb = (a, b) => {
    // Called after the swap: db `a` now holds what `b` held, so b holds a's outgoing keys.
    server.blocking.scanDatabase(server, a);
    server.blocking.scanDatabase(server, b);
    if (!server.watches.active) return;
    server.watches.touchDb(a, present(b), (key) => keyState(a, key));
    server.watches.touchDb(b, present(a), (key) => keyState(b, key));
  };
}
