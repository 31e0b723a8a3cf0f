import fc from "fast-check";
import { formatDouble, RespAttributed, RespError, RespPush, type RespValue, RespVerbatim } from "../../src/index.js";

const text = fc.string({ unit: "grapheme", maxLength: 12 });

// Leaves in the canonical shape the decoder yields with strings "utf8", verbatim "object".
const leaf: fc.Arbitrary<RespValue> = fc.oneof(
  text,
  fc.maxSafeInteger(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }).map((m) => new RespError(m)),
  fc.tuple(fc.stringMatching(/^[a-z]{3}$/), text).map(([format, t]) => new RespVerbatim(format, t)),
);

/** Nested RESP3 values of every type, as `RespDecoder` yields them with attributes kept. */
export const respValue: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(tie("value"), { maxLength: 4 }).map((items) => new Set(items)),
    fc.array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 }).map((pairs) => new Map(pairs)),
    fc.array(tie("value"), { maxLength: 3 }).map((items) => new RespPush(items)),
    fc
      .tuple(fc.array(fc.tuple(text, tie("value")), { minLength: 1, maxLength: 2 }), tie("value"))
      .map(([pairs, value]) => new RespAttributed(new Map<RespValue, RespValue>(pairs), value)),
  ),
})).value;

/** What a RESP2 client receives for `value`: Redis's RESP3 → RESP2 downgrade. */
export function downgrade(value: RespValue): RespValue {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? value : formatDouble(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === null || typeof value === "string" || Buffer.isBuffer(value)) return value;
  if (value instanceof RespError) return new RespError(value.message.replace(/[\r\n]/g, " "));
  if (value instanceof RespVerbatim) return value.text;
  if (value instanceof RespAttributed) return downgrade(value.value);
  if (value instanceof RespPush) return value.data.map(downgrade);
  if (Array.isArray(value)) return value.map(downgrade);
  if (value instanceof Set) return [...value].map(downgrade);
  if (value instanceof Map) return [...value].flatMap(([k, v]) => [downgrade(k), downgrade(v)]);
  return Object.entries(value).flatMap(([k, v]) => [k, downgrade(v)]);
}
