import { writeDecimal } from "@nedis/rdb";
import { ListpackEntry, lpGetBigInt, lpGetValue } from "@nedis/rdb/listpack";
import type { QuicklistBase } from "./QuicklistBase.js";

/**
 * The element a list operation read last (index, pop, iteration), always as bytes:
 * `bytes[start, end)`. An integer element is written as its decimal digits into a scratch
 * buffer. After a pop the bytes are a copy (valid until the next pop); after a read they may be
 * the list's own bytes (valid until the list is edited). One shared register set, like the
 * database's value registers: read it right away.
 */
export class ListValue {
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  /** Elements left in the list after the last `listTypePop`. */
  remaining = 0;
  private digits = new Uint8Array(24);
  private copy = new Uint8Array(64);
  private readonly entry = new ListpackEntry();

  /** Length of the element. */
  get length(): number {
    return this.end - this.start;
  }

  /** Reads the listpack element at `page[p]`. */
  fromListpack(page: Uint8Array, p: number): void {
    const e = lpGetValue(page, p, this.entry);
    if (!e.isInteger) {
      this.bytes = page;
      this.start = e.stringStart;
      this.end = e.stringEnd;
    } else {
      this.bytes = this.digits;
      this.start = 0;
      this.end = writeDecimal(this.digits, 0, e.integerIsSafe ? e.integer : lpGetBigInt(page, p));
    }
  }

  /** Takes the element a quicklist read into its registers. */
  fromQuicklist(ql: QuicklistBase): void {
    if (ql.valueIsInteger) {
      this.bytes = this.digits;
      this.start = 0;
      this.end = writeDecimal(this.digits, 0, ql.valueInteger);
    } else {
      this.bytes = ql.valueBytes;
      this.start = ql.valueStart;
      this.end = ql.valueEnd;
    }
  }

  /** Copies the element into this register's own buffer (it outlives the list's edit). */
  detach(): void {
    if (this.bytes === this.copy || this.bytes === this.digits) return;
    const len = this.end - this.start;
    if (this.copy.length < len) this.copy = new Uint8Array(Math.max(len, this.copy.length * 2));
    const src = this.bytes;
    const start = this.start;
    if (len > 32) this.copy.set(src.subarray(start, this.end), 0);
    else for (let i = 0; i < len; i++) this.copy[i] = src[start + i] as number;
    this.bytes = this.copy;
    this.start = 0;
    this.end = len;
  }

  /** True when the element equals `s[start, end)` byte for byte (Redis compares decoded text). */
  equals(s: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len !== this.end - this.start) return false;
    const b = this.bytes;
    const o = this.start;
    for (let i = 0; i < len; i++) if (b[o + i] !== s[start + i]) return false;
    return true;
  }
}

/** The list registers (one per process: commands run one at a time). */
export const listValue = new ListValue();
