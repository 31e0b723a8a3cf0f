/** An error reply (`-ERR …` or a RESP3 bulk error `!…`), as a value: decoding never throws it. */
export class RespError extends Error {
  override readonly name = "RespError";

  /** The error code: the first word (`ERR`, `WRONGTYPE`, `MOVED`, …). */
  get code(): string {
    const space = this.message.indexOf(" ");
    return space < 0 ? this.message : this.message.slice(0, space);
  }
}

/** A RESP3 push frame (`>`): pub/sub messages and client-side caching invalidations. */
export class RespPush {
  constructor(readonly data: RespValue[]) {}
}

/** A RESP3 verbatim string (`=`), when the decoder keeps its format (`txt`, `mkd`). */
export class RespVerbatim {
  constructor(
    readonly format: string,
    readonly text: string | Buffer,
  ) {}
}

/** A value preceded by RESP3 attributes (`|`), when the decoder keeps them. */
export class RespAttributed {
  constructor(
    readonly attributes: RespMap,
    readonly value: RespValue,
  ) {}
}

/** A RESP3 map: a `Map`, or a plain object with string keys (decoder option `maps: "object"`). */
export type RespMap = Map<RespValue, RespValue> | { [key: string]: RespValue };

/**
 * Every value the decoder yields and the value encoder accepts. Strings are `string` or `Buffer`
 * (decoder option `strings`); integers and doubles `number` (integers `bigint` by option); big
 * numbers `bigint`; nulls `null`; sets `Set` or arrays (option `sets`).
 */
export type RespValue =
  | string
  | Buffer
  | number
  | bigint
  | boolean
  | null
  | RespError
  | RespValue[]
  | Set<RespValue>
  | RespMap
  | RespPush
  | RespVerbatim
  | RespAttributed;

/** Wraps `value` in its attributes; consecutive attribute frames nest, the first outermost. */
export function attachAttributes(attributes: RespMap[], value: RespValue): RespValue {
  let v = value;
  for (let i = attributes.length - 1; i >= 0; i--) v = new RespAttributed(attributes[i]!, v);
  return v;
}
