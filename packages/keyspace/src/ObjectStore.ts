import type { KvPool } from "@nedis/allocators/kv-pool";
import type { Database } from "./Database.js";
import type { DatabaseCore } from "./DatabaseCore.js";
import type { Encoding, ObjectType } from "./types.js";

/**
 * A value kept on the JS heap instead of in pool bytes: the escape hatch for collections too
 * large for a packed encoding. It reports its size so the budget can charge it.
 */
export interface StoredObject {
  /** Bytes the structure holds, charged to `maxmemory`. */
  memoryUsage(): number;
  /** A deep copy (COPY). */
  duplicate(): StoredObject;
}

/**
 * Heap objects referenced from keyspace entries. The entry's value is the object's 4-byte id
 * (little-endian), so keys, expiry and eviction work the same for every type; the object's
 * size is charged to the pool as external memory.
 */
export class ObjectStore {
  private objects: (StoredObject | undefined)[] = [undefined];
  private charges: number[] = [0];
  private freeIds: number[] = [];
  private readonly idBytes = new Uint8Array(4);

  constructor(private readonly pool: KvPool) {}

  /** Live objects. */
  get count(): number {
    return this.objects.length - 1 - this.freeIds.length;
  }

  /** Registers an object and charges its size; returns its id. */
  add(object: StoredObject): number {
    const id = this.freeIds.length > 0 ? (this.freeIds.pop() as number) : this.objects.length;
    const bytes = object.memoryUsage();
    this.objects[id] = object;
    this.charges[id] = bytes;
    this.pool.adjustExternal(bytes);
    return id;
  }

  get(id: number): StoredObject {
    const object = this.objects[id];
    if (object === undefined) throw new Error(`keyspace: no stored object ${id}`);
    return object;
  }

  /** Re-reads the object's size after it changed and adjusts the charge. */
  recharge(id: number): void {
    const bytes = this.get(id).memoryUsage();
    this.pool.adjustExternal(bytes - (this.charges[id] as number));
    this.charges[id] = bytes;
  }

  release(id: number): void {
    if (this.objects[id] === undefined) return;
    this.pool.adjustExternal(-(this.charges[id] as number));
    this.objects[id] = undefined;
    this.charges[id] = 0;
    this.freeIds.push(id);
  }

  /** Drops every object and its charge. */
  clear(): void {
    let total = 0;
    for (const c of this.charges) total += c;
    this.pool.adjustExternal(-total);
    this.objects = [undefined];
    this.charges = [0];
    this.freeIds = [];
  }

  /** Stores `object` under a key (replacing any value, dropping its TTL); returns the ref. */
  store(db: Database, key: Uint8Array, off: number, len: number, type: ObjectType | number, encoding: Encoding | number, object: StoredObject): number {
    const ref = db.lookupWrite(key, off, len);
    const bytes = this.idBytesOf(this.add(object));
    if (ref >= 0) return db.overwriteValue(ref, bytes, 0, 4, type as ObjectType, encoding as Encoding, false);
    return db.insertValue(key, off, len, bytes, 0, 4, type as ObjectType, encoding as Encoding);
  }

  /** Adds a key that does not exist (its hash in `db.lastHash`) holding `object`. */
  insertNew(
    db: Database, key: Uint8Array, off: number, len: number, type: ObjectType, encoding: Encoding, object: StoredObject,
    deadline: number | bigint,
  ): number {
    const bytes = this.idBytesOf(this.add(object));
    return db.insertValue(key, off, len, bytes, 0, 4, type, encoding, deadline);
  }

  private idBytesOf(id: number): Uint8Array {
    const bytes = this.idBytes;
    bytes[0] = id & 0xff;
    bytes[1] = (id >>> 8) & 0xff;
    bytes[2] = (id >>> 16) & 0xff;
    bytes[3] = id >>> 24;
    return bytes;
  }

  /** The object of the key at `ref` (which must not be a string). */
  objectAt(db: DatabaseCore, ref: number): StoredObject {
    db.loadValue(ref);
    const b = db.valueBuf;
    const at = db.valueOff;
    return this.get((b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0);
  }
}
