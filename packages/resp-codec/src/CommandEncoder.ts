import { ReplyWriter } from "./ReplyWriter.js";

/** One command argument: text (UTF-8), bytes, or a number/bigint (sent as its decimal text). */
export type CommandArgument = string | Uint8Array | number | bigint;

/**
 * Writes a command as a RESP array of bulk strings (what clients send) into `writer`, so a
 * pipeline of commands lands in one buffer and one socket write.
 *
 * ```ts
 * const out = new ReplyWriter();
 * writeCommand(out, ["SET", "key", Buffer.from([0, 1]), 42]);
 * socket.write(out.take());
 * ```
 */
export function writeCommand(writer: ReplyWriter, args: readonly CommandArgument[]): void {
  writer.arrayHeader(args.length);
  for (const arg of args) {
    if (typeof arg === "string") writer.bulkUtf8(arg);
    else if (typeof arg === "number" || typeof arg === "bigint") writer.bulkString(String(arg));
    else writer.bulk(arg);
  }
}

const scratch = new ReplyWriter(4096);

/** A command encoded as RESP in a new Buffer. */
export function encodeCommand(args: readonly CommandArgument[]): Buffer {
  scratch.clear();
  writeCommand(scratch, args);
  return Buffer.from(scratch.buffer.subarray(0, scratch.length));
}
