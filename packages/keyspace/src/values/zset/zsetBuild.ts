import { RdbOutput } from "@nedis/rdb";
import { ListpackBuilder } from "@nedis/rdb/listpack";
import type { StagedZSet } from "./StagedZSet.js";
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

/** The listpack of a staged zset's elements (a view valid until the next build). */
export function stagedListpack(object: StagedZSet): Uint8Array {
  const out = builder.out;
  out.reset();
  builder.begin();
  object.forEach((buf, off, len, score) => {
    builder.appendString(buf, off, off + len);
    builder.appendString(SCORE_TEXT, 0, scoreText(score));
  });
  return builder.finish();
}
