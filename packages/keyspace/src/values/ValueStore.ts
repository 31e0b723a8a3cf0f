import type { KvPool } from "@nedis/allocators/kv-pool";
import { valueTypeOf } from "./registry.js";
import type { OutOfLineValue } from "./ValueType.js";

/**
 * The out-of-line values: an entry whose encoding is out of line holds a 4-byte id (little
 * endian) into this store, so keys, expiry and eviction work the same for every type. What an
 * object reports with `memoryUsage()` is charged to the pool as external memory; its pool nodes
 * are charged by the pool. Releasing an id asks the object's type to free its nodes first.
 */
export class ValueStore {
  private objects: (OutOfLineValue | undefined)[] = [undefined];
  private types: number[] = [0];
  private charges: number[] = [0];
  private freeIds: number[] = [];

  constructor(private readonly pool: KvPool) {}

  /** Live objects. */
  get count(): number {
    return this.objects.length - 1 - this.freeIds.length;
  }

  /** Registers an object of type `type` and charges its size; returns its id. */
  add(object: OutOfLineValue, type: number): number {
    const id = this.freeIds.length > 0 ? (this.freeIds.pop() as number) : this.objects.length;
    const bytes = object.memoryUsage();
    this.objects[id] = object;
    this.types[id] = type;
    this.charges[id] = bytes;
    this.pool.adjustExternal(bytes);
    return id;
  }

  get(id: number): OutOfLineValue {
    const object = this.objects[id];
    if (object === undefined) throw new Error(`keyspace: no out-of-line value ${id}`);
    return object;
  }

  /** Re-reads the object's size after it changed and adjusts the charge. */
  recharge(id: number): void {
    const bytes = this.get(id).memoryUsage();
    this.pool.adjustExternal(bytes - (this.charges[id] as number));
    this.charges[id] = bytes;
  }

  /** Frees the object (its type releases its pool nodes) and its charge. */
  release(id: number): void {
    const object = this.objects[id];
    if (object === undefined) return;
    valueTypeOf(this.types[id] as number).free(object, this.pool);
    this.pool.adjustExternal(-(this.charges[id] as number));
    this.objects[id] = undefined;
    this.charges[id] = 0;
    this.freeIds.push(id);
  }

  /** Drops every object and its charge, after the pool was cleared as a whole (FLUSHALL). */
  clear(): void {
    let total = 0;
    for (const c of this.charges) total += c;
    this.pool.adjustExternal(-total);
    this.objects = [undefined];
    this.types = [0];
    this.charges = [0];
    this.freeIds = [];
  }
}
