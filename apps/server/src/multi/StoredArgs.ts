import { asciiEqualsLower } from "@nedis/resp-codec";
import type { CommandArgs } from "../commands/CommandSpec.js";

/**
 * A command's arguments copied out of the read buffer (the parser's views die with the chunk):
 * one Buffer for all bytes, offsets and lengths beside it. Used for commands queued by MULTI.
 */
export class StoredArgs implements CommandArgs {
  readonly argc: number;
  readonly buffer: Uint8Array;
  readonly offsets: Int32Array;
  readonly lengths: Int32Array;

  constructor(source: CommandArgs) {
    const argc = source.argc;
    let total = 0;
    for (let i = 0; i < argc; i++) total += source.lengths[i]!;
    const buffer = Buffer.allocUnsafe(total);
    const offsets = new Int32Array(argc);
    const lengths = new Int32Array(argc);
    let at = 0;
    for (let i = 0; i < argc; i++) {
      const off = source.offsets[i]!;
      const len = source.lengths[i]!;
      buffer.set(source.buffer.subarray(off, off + len), at);
      offsets[i] = at;
      lengths[i] = len;
      at += len;
    }
    this.argc = argc;
    this.buffer = buffer;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  /** Bytes held, for CLIENT LIST `multi-mem`. */
  get byteLength(): number {
    return this.buffer.length + this.argc * 8;
  }

  argEquals(i: number, lowerName: string): boolean {
    return asciiEqualsLower(this.buffer, this.offsets[i]!, this.lengths[i]!, lowerName);
  }

  argString(i: number): string {
    const off = this.offsets[i]!;
    return Buffer.from(this.buffer.buffer, this.buffer.byteOffset + off, this.lengths[i]!).toString("latin1");
  }

  argView(i: number): Uint8Array {
    const off = this.offsets[i]!;
    return this.buffer.subarray(off, off + this.lengths[i]!);
  }
}
