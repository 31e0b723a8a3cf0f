import { RemovalReason } from "@nedis/keyspace";
import type { ServerContext } from "../ServerContext.js";

/**
 * Keys the keyspace removes on its own reach the propagator as Redis's `propagateDeletion`
 * does: an expired or evicted key becomes DEL, or UNLINK under `lazyfree-lazy-expire` /
 * `lazyfree-lazy-eviction`. Deletions by commands propagate as the commands themselves.
 */
export function installPropagationHooks(server: ServerContext): void {
  const ks = server.keyspace;
  const config = server.config;
  let lazyExpire = config.bool("lazyfree-lazy-expire");
  let lazyEviction = config.bool("lazyfree-lazy-eviction");
  config.onChange("lazyfree-lazy-expire", (v) => {
    lazyExpire = v as boolean;
  });
  config.onChange("lazyfree-lazy-eviction", (v) => {
    lazyEviction = v as boolean;
  });
  const previous = ks.onKeyRemoved;
  ks.onKeyRemoved = (db, ref, reason) => {
    if (previous !== null) previous(db, ref, reason);
    const propagation = server.propagation;
    if (!propagation.active) return;
    if (reason !== RemovalReason.Expired && reason !== RemovalReason.Evicted) return;
    db.loadKey(db.handleAt(ref));
    const lazy = reason === RemovalReason.Expired ? lazyExpire : lazyEviction;
    propagation.deletion(db.id, db.keyBuf, db.keyOff, db.keyLen, lazy, reason === RemovalReason.Evicted);
  };
}
