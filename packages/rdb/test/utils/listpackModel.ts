/** A plain model of listpack elements: what Redis stores for a string, and how to show it. */

import { hex } from "./bytes.js";
import type { Entry } from "./dumpModel.js";
import { INT64_MAX, INT64_MIN } from "./encodingBoundaries.js";

/** What a listpack holds for a string: an integer when it is a canonical int64, else the bytes. */
export function normaliseEntry(e: Entry): Entry {
  if (typeof e === "bigint") return e;
  const s = Buffer.from(e).toString("latin1");
  if (/^-?[0-9]+$/.test(s) && BigInt(s).toString() === s && BigInt(s) >= INT64_MIN && BigInt(s) <= INT64_MAX)
    return BigInt(s);
  return e;
}

/** A comparable text form of an entry (integers and strings never collide). */
export const showEntry = (e: Entry): string => (typeof e === "bigint" ? `int:${e}` : `str:${hex(e)}`);
