import type { OutOfLineValue } from "../ValueType.js";
import type { MemberSink } from "./setMembers.js";

/**
 * A large set decoded where no pool is at hand (RESTORE's and RDB load's `rdbLoad` gets only a
 * `ValueWriter`): its members packed in one heap buffer, `[len: u32][bytes]…`, charged to the
 * budget through {@link memoryUsage}. The set API turns it into a `FieldTable` at its first
 * access through a database (`SetType`'s `tableOf`); until then it is read-only.
 */
export class StagedSet implements OutOfLineValue {
  bytes = new Uint8Array(256);
  length = 0;
  count = 0;

  /** Appends a member (the caller checked that it is new). */
  push(buf: Uint8Array, off: number, len: number): void {
    const need = this.length + 4 + len;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const b = this.bytes;
    let at = this.length;
    b[at++] = len & 0xff;
    b[at++] = (len >>> 8) & 0xff;
    b[at++] = (len >>> 16) & 0xff;
    b[at++] = (len >>> 24) & 0xff;
    b.set(buf.subarray(off, off + len), at);
    this.length = at + len;
    this.count++;
  }

  forEach(sink: MemberSink): void {
    const b = this.bytes;
    for (let at = 0; at < this.length; ) {
      const len = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
      sink.member(b, at + 4, len);
      at += 4 + len;
    }
  }

  memoryUsage(): number {
    return this.bytes.length + 64;
  }
}
