import {
  type DatabaseCore,
  estimateIdleTimeMs,
  type Keyspace,
  lfuDecrAndReturn,
  Meta,
  typeOfMeta,
  valueTypeOf,
} from "@nedis/keyspace";
import type { RdbFileWriter } from "./RdbFileWriter.js";

/** What a saved key carries besides its value: LRU idle time or LFU counter, as the policy keeps. */
export const AccessData = {
  None: 0,
  Idle: 1,
  Freq: 2,
} as const;
export type AccessData = (typeof AccessData)[keyof typeof AccessData];

/** Redis saves IDLE under the LRU policies and FREQ under the LFU ones (`rdbSaveKeyValuePair`). */
export function accessDataOf(ks: Keyspace): AccessData {
  if (ks.lfu) return AccessData.Freq;
  return ks.maxmemoryPolicy.endsWith("-lru") ? AccessData.Idle : AccessData.None;
}

/**
 * Writes the key at `ref` of `db` (expire, access data, type, key, value through its value
 * type's `rdbSave`) as `rdbSaveKeyValuePair` does. Every key is written, expired or not: a
 * loading master drops the expired ones.
 */
export function writeKeyAt(
  writer: RdbFileWriter,
  ks: Keyspace,
  db: DatabaseCore,
  ref: number,
  access: AccessData,
): void {
  const meta = db.metaAt(ref);
  let expireAt: number | bigint = -1;
  if (meta >= Meta.VOLATILE) {
    expireAt = db.expireAt(ref);
    if (expireAt > Number.MAX_SAFE_INTEGER) expireAt = db.expireAtBig(ref);
  }
  const lru = meta & Meta.LRU_MASK;
  const idle = access === AccessData.Idle ? Math.floor(estimateIdleTimeMs(ks.lruClock, lru) / 1000) : -1;
  const freq = access === AccessData.Freq ? lfuDecrAndReturn(lru, ks.lfuMinutes, ks.lfuDecayTime) : -1;
  const valueType = valueTypeOf(typeOfMeta(meta));
  db.loadKey(db.handleAt(ref));
  writer.beginKey(db.keyBuf, db.keyOff, db.keyLen, valueType.rdbType(db, ref), expireAt, idle, freq);
  valueType.rdbSave(db, ref, writer.out, writer.options);
  writer.endKey();
}
