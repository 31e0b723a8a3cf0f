import { lpLength, lpSeek, lpSkip } from "@nedis/rdb";
import { Encoding } from "../../types.js";
import type { ValueReader } from "../ValueType.js";
import type { FieldTable } from "./FieldTable.js";
import { ElementView, lpAtEnd, lpFindField, lpHead } from "./hashListpack.js";

/**
 * Reads a hash: one field's value ({@link get}), every pair ({@link open} then {@link next}),
 * or the pair at a listpack index / table slot. Results are in the registers `field*` and
 * `value*` (views valid until the keyspace next changes). One instance per caller, reused.
 */
export class HashReader {
  fieldBuf: Uint8Array;
  fieldOff = 0;
  fieldLen = 0;
  valueBuf: Uint8Array;
  valueOff = 0;
  valueLen = 0;

  private readonly f = new ElementView();
  private readonly v = new ElementView();
  private table: FieldTable | null = null;
  private pos = 0;
  private positions = 0;
  private lp: Uint8Array;
  private p = 0;
  private pairs = new Int32Array(64);

  constructor() {
    this.fieldBuf = this.valueBuf = this.lp = new Uint8Array(0);
  }

  /** Fills the value registers with `field`'s value in the hash at `ref`; false when absent. */
  get(db: ValueReader, ref: number, field: Uint8Array, off: number, len: number): boolean {
    if (db.rawEncodingAt(ref) === Encoding.HashTable) {
      const table = db.objectAt(ref) as FieldTable;
      const slot = table.find(field, off, len);
      if (slot < 0) return false;
      table.load(slot);
      this.fromTable(table);
      return true;
    }
    db.loadValue(ref);
    const buf = db.valueBuf;
    const fp = lpFindField(buf, db.valueOff, field, off, len);
    if (fp < 0) return false;
    this.v.read(buf, lpSkip(buf, fp));
    this.valueBuf = this.v.buf;
    this.valueOff = this.v.off;
    this.valueLen = this.v.len;
    return true;
  }

  /** Starts a walk over every pair of the hash at `ref` (in listpack order, or table order). */
  open(db: ValueReader, ref: number): this {
    if (db.rawEncodingAt(ref) === Encoding.HashTable) {
      const table = db.objectAt(ref) as FieldTable;
      this.table = table;
      this.pos = 0;
      this.positions = table.positions;
    } else {
      db.loadValue(ref);
      this.table = null;
      this.lp = db.valueBuf;
      this.p = lpHead(db.valueOff);
    }
    return this;
  }

  /** The next pair of the walk into the registers; false at the end. */
  next(): boolean {
    const table = this.table;
    if (table !== null) {
      while (this.pos < this.positions) {
        const handle = table.handleAtPosition(this.pos++);
        if (handle === 0) continue;
        table.loadHandle(handle);
        this.fromTable(table);
        return true;
      }
      return false;
    }
    const lp = this.lp;
    let p = this.p;
    if (lpAtEnd(lp, p)) return false;
    this.f.read(lp, p);
    p = lpSkip(lp, p);
    this.v.read(lp, p);
    this.p = lpSkip(lp, p);
    this.fromViews();
    return true;
  }

  /**
   * A uniformly random pair into the registers (the hash must not be empty); returns its
   * identity: the pair's index in a listpack, its slot in a table.
   */
  random(db: ValueReader, ref: number): number {
    if (db.rawEncodingAt(ref) === Encoding.HashTable) {
      const table = db.objectAt(ref) as FieldTable;
      const slot = table.randomSlot();
      table.load(slot);
      this.fromTable(table);
      return slot;
    }
    db.loadValue(ref);
    const index = Math.floor(Math.random() * (lpLength(db.valueBuf, db.valueOff) >>> 1));
    this.pairAt(db.valueBuf, lpSeek(db.valueBuf, db.valueOff, index * 2));
    return index;
  }

  /**
   * Prepares repeated uniform picks from the hash at `ref` ({@link nextRandom}): a listpack's
   * pair positions are collected once, so each pick is O(1) (Redis's `lpRandomPairs`).
   */
  openRandom(db: ValueReader, ref: number): this {
    if (db.rawEncodingAt(ref) === Encoding.HashTable) {
      this.table = db.objectAt(ref) as FieldTable;
      return this;
    }
    db.loadValue(ref);
    this.table = null;
    const lp = db.valueBuf;
    this.lp = lp;
    let n = 0;
    for (let p = lpHead(db.valueOff); !lpAtEnd(lp, p); p = lpSkip(lp, lpSkip(lp, p))) {
      if (n === this.pairs.length) {
        const grown = new Int32Array(this.pairs.length * 2);
        grown.set(this.pairs);
        this.pairs = grown;
      }
      this.pairs[n++] = p;
    }
    this.positions = n;
    return this;
  }

  /** One uniform pick (with repeats) into the registers, after {@link openRandom}. */
  nextRandom(): void {
    const table = this.table;
    if (table !== null) {
      table.load(table.randomSlot());
      this.fromTable(table);
      return;
    }
    this.pairAt(this.lp, this.pairs[Math.floor(Math.random() * this.positions)] as number);
  }

  private pairAt(lp: Uint8Array, p: number): void {
    this.f.read(lp, p);
    this.v.read(lp, lpSkip(lp, p));
    this.fromViews();
  }

  private fromViews(): void {
    const f = this.f;
    const v = this.v;
    this.fieldBuf = f.buf;
    this.fieldOff = f.off;
    this.fieldLen = f.len;
    this.valueBuf = v.buf;
    this.valueOff = v.off;
    this.valueLen = v.len;
  }

  private fromTable(table: FieldTable): void {
    this.fieldBuf = table.fieldBuf;
    this.fieldOff = table.fieldOff;
    this.fieldLen = table.fieldLen;
    this.valueBuf = table.valueBuf;
    this.valueOff = table.valueOff;
    this.valueLen = table.valueLen;
  }
}
