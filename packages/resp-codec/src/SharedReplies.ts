// Pre-encoded replies: constant bytes copied instead of encoded.

export const NULL3 = Buffer.from("_\r\n");
export const NULL_BULK2 = Buffer.from("$-1\r\n");
export const NULL_ARRAY2 = Buffer.from("*-1\r\n");
export const TRUE3 = Buffer.from("#t\r\n");
export const FALSE3 = Buffer.from("#f\r\n");
export const ONE = Buffer.from(":1\r\n");
export const ZERO = Buffer.from(":0\r\n");

/** Pre-encoded replies servers send often. */
export const SharedReplies = {
  ok: Buffer.from("+OK\r\n"),
  pong: Buffer.from("+PONG\r\n"),
  queued: Buffer.from("+QUEUED\r\n"),
  zero: Buffer.from(":0\r\n"),
  one: Buffer.from(":1\r\n"),
  minusOne: Buffer.from(":-1\r\n"),
  minusTwo: Buffer.from(":-2\r\n"),
  emptyArray: Buffer.from("*0\r\n"),
  emptyBulk: Buffer.from("$0\r\n\r\n"),
  nullBulk2: Buffer.from("$-1\r\n"),
  nullArray2: Buffer.from("*-1\r\n"),
  null3: Buffer.from("_\r\n"),
} as const;
