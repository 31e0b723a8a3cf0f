import { RdbOutput } from "@nedis/rdb";
import { LISTPACK_MAX_SAFETY_SIZE, ListpackBuilder } from "@nedis/rdb/listpack";
import type { EncodingLimits } from "../EncodingLimits.js";
import type { ZSetObject } from "./ZSetObject.js";
import { SCORE_TEXT, scoreText } from "./zsetScores.js";

/** Builds the listpack of a zset converted to `listpack` (`zsetConvert`), scores as `zzlInsertAt` writes them. */
const builder = new ListpackBuilder(new RdbOutput(256));

/** The listpack of a large zset's elements, in order (a view valid until the next call). */
export function listpackOf(zs: ZSetObject): Uint8Array {
  const out = builder.out;
  out.reset();
  builder.begin();
  const list = zs.list;
  for (let node = list.first(); node !== 0; node = list.next(node)) {
    const page = list.member(node);
    builder.appendString(page, list.memberOff, list.memberOff + list.memberLen);
    const n = scoreText(list.score(node));
    builder.appendString(SCORE_TEXT, 0, n);
  }
  return builder.finish();
}

/** `zsetConvertToListpackIfNeeded`'s test: a zset of `length` members, the longest `maxLen` bytes. */
export function fitsListpack(limits: EncodingLimits, length: number, maxLen: number, total: number): boolean {
  return (
    length <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue && total < LISTPACK_MAX_SAFETY_SIZE
  );
}
